"""Agreement files: written and read back, refused in one line when malformed; the grants they give."""

import datetime as dt

import pytest
from agreement_files import TODAY, file_agreement

from mesh_platform.access.agreements import find_agreement, load_agreements, read_agreement
from mesh_platform.access.grants import granted_roles, grants_line, role_of, select_roles
from mesh_platform.errors import MeshError


def test_an_agreement_is_read_back_as_written(tmp_path):
    path = file_agreement(tmp_path, "ops", "sales", "orders", until=TODAY, columns=("order_id",))
    assert path == "models/ops/access/sales__orders.access.yml"
    agreement = read_agreement(tmp_path, path)
    assert (agreement.consumer, agreement.product, agreement.status, agreement.until, agreement.columns) == \
        ("sales", "orders", "approved", TODAY, ["order_id"])
    assert "until: " + TODAY.isoformat() in (tmp_path / path).read_text()  # a date, not a quoted string
    assert find_agreement(tmp_path, "sales__orders").producer == "ops"


@pytest.mark.parametrize(("text", "expected"), [
    ("consumer: sales\nproduct: orders\n", "missing purpose"),
    ("consumer: sales\nproduct: orders\npurpose: x\nstatus: approved\nrequested_by: a\nrequested_on: 2026-01-01\n"
     "approver: me\n", "unknown key approver"),
    ("consumer: sales\nproduct: orders\npurpose: x\nstatus: granted\nrequested_by: a\nrequested_on: 2026-01-01\n",
     "status 'granted' is not one of"),
    ("consumer: sales\nproduct: items\npurpose: x\nstatus: approved\nrequested_by: a\nrequested_on: 2026-01-01\n",
     "is sales__items.access.yml; rename it"),
    ("consumer: [sales\n", "not valid YAML"),
])
def test_a_malformed_agreement_is_one_line_naming_its_file(tmp_path, text, expected):
    path = tmp_path / "models/ops/access/sales__orders.access.yml"
    path.parent.mkdir(parents=True)
    path.write_text(text)
    filed, unreadable = load_agreements(tmp_path)
    assert filed == [] and len(unreadable) == 1
    problem = unreadable[0].problem
    assert expected in problem and "models/ops/access/sales__orders.access.yml" in problem and "\n" not in problem
    with pytest.raises(MeshError, match=expected.split("'")[0]):
        find_agreement(tmp_path, "sales__orders")


def test_an_unknown_agreement_is_refused_in_one_line(tmp_path):
    with pytest.raises(MeshError, match="no access agreement sales__orders"):
        find_agreement(tmp_path, "sales__orders")


def test_only_approved_unexpired_agreements_grant_select_to_the_consumers_role(tmp_path):
    file_agreement(tmp_path, "ops", "sales", "orders")
    file_agreement(tmp_path, "ops", "finance", "orders", until=TODAY)  # its last day: still holds
    file_agreement(tmp_path, "ops", "audit", "orders", until=TODAY - dt.timedelta(days=1))
    file_agreement(tmp_path, "ops", "sales", "items", status="requested")
    file_agreement(tmp_path, "ops", "sales", "stock", status="revoked")
    file_agreement(tmp_path, "ops", "sales", "prices", status="rejected")
    assert granted_roles(load_agreements(tmp_path)[0], TODAY) == {"orders": ["mesh_finance", "mesh_sales"]}


def test_role_names_are_plain_identifiers():
    assert role_of("sales") == "mesh_sales"
    assert grants_line(["mesh_a", "mesh_b"]) == "{select: [mesh_a, mesh_b]}"
    with pytest.raises(MeshError):
        grants_line(["mesh_a; drop table x"])
    assert select_roles({}) == [] and select_roles({"select": "mesh_a"}) == ["mesh_a"]
