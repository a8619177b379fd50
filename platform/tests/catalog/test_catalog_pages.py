"""What the pages of a small catalog say: each product's owner, and how to see the findings of ACC002."""

from __future__ import annotations

import pytest
from catalog_browser import page_text, table_rows
from small_catalog import small_catalog

from mesh_platform.catalog.site import write_site


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("pages")
    write_site(small_catalog(root / "mesh"), {}, root / "site")
    return root / "site"


def test_the_products_list_names_each_products_owner(site):
    for page in ("products.html", "index.html"):
        rows = table_rows(site / page)
        header = next(row for row in rows if row[:2] == ["Product", "Domain"])
        assert header[2] == "Owner"
        assert [row[:3] for row in rows if row[0] in ("orders", "ops_report")] == [
            ["ops_report", "ops", "Ops"], ["orders", "sales", "Sales"]]


def test_a_product_page_lists_its_access_agreements(site):
    rows = table_rows(site / "products" / "orders.html")
    header = next(row for row in rows if row[:2] == ["Consumer", "Status"])
    assert header == ["Consumer", "Status", "Purpose", "Columns", "Until", "Decided"]
    agreement = next(row for row in rows if row[0] == "ops")
    assert agreement[:5] == ["ops", "approved", "The weekly operations report.", "order_id, amount", "2099-12-31"]
    assert agreement[5].endswith("by us@x.example")
    assert "No agreement: no other domain may read it yet" in page_text(site / "products" / "ops_report.html")


def test_a_catalog_of_a_parsed_project_says_how_to_see_acc002s_findings(site, tmp_path):
    advice = ("run mesh check (it compiles the project into target/manifest.json), then "
              "mesh catalog --manifest target/manifest.json.")
    assert advice in page_text(site / "domains" / "sales.html")
    write_site(small_catalog(tmp_path / "mesh", compiled=True), {}, tmp_path / "site")
    assert "ACC002" not in page_text(tmp_path / "site" / "domains" / "sales.html")
