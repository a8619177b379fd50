"""The generated grants line in a product's YAML: written, replaced, and nothing else in the file touched."""

import pytest

from mesh_platform.access.product_yaml import MARK, with_grants
from mesh_platform.errors import MeshError

PRODUCT = """version: 2

models:
  - name: other
    config:
      contract: {enforced: true}
  # the product
  - name: orders
    access: public
    config:
      contract: {enforced: true}  # kept
      meta:
        sla: {max_staleness_hours: 24}
    columns:
      - name: order_id
"""

BLOCK = "    config:\n      contract: {enforced: true}  # kept\n      meta:\n        sla: {max_staleness_hours: 24}\n"


def test_the_grants_line_is_added_then_replaced_and_nothing_else_changes():
    added = with_grants(PRODUCT, "orders", ["mesh_sales"], "orders.yml")
    assert added == PRODUCT.replace("      contract: {enforced: true}  # kept",
                                    f"      grants: {{select: [mesh_sales]}}  {MARK}\n"
                                    "      contract: {enforced: true}  # kept")
    replaced = with_grants(added, "orders", [], "orders.yml")
    assert replaced == added.replace("[mesh_sales]", "[]")


@pytest.mark.parametrize(("text", "expected"), [
    (PRODUCT.replace(BLOCK, "    config: {contract: {enforced: true}}\n"), "written on one line"),
    (PRODUCT.replace("      contract: {enforced: true}  # kept\n",
                     "      grants:\n        select: [mesh_x]\n      contract: {enforced: true}\n"),
     "written by hand over several lines"),
    (PRODUCT.replace("  - name: orders\n", "  - name: items\n"), "declares no model named orders"),
    ("models: [", "not valid YAML"),
])
def test_a_file_it_cannot_edit_safely_is_refused(text, expected):
    with pytest.raises(MeshError, match=expected):
        with_grants(text, "orders", ["mesh_sales"], "orders.yml")
