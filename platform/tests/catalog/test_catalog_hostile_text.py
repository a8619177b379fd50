"""What domain teams type (status, descriptions, owner names) is text on every page of the catalog, never markup."""

from __future__ import annotations

import pytest
from catalog_browser import markup_problems, page_text
from small_catalog import HOSTILE, small_catalog

from mesh_platform.catalog import CONTENT_SECURITY_POLICY
from mesh_platform.catalog.lineage import status_class
from mesh_platform.catalog.site import write_site

SHOWN = {"index.html": ("status", "owner_name", "product_description"),
         "domains/sales.html": ("status", "domain_description", "owner_name"),
         "lineage.html": ("owner_name",),
         "products/orders.html": ("owner_name", "product_description", "column_description", "agreement_purpose")}


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile")
    write_site(small_catalog(root / "mesh", HOSTILE), {}, root / "site")
    return root / "site"


def test_hostile_text_is_shown_as_text_and_never_becomes_markup(hostile_site):
    assert markup_problems(hostile_site, CONTENT_SECURITY_POLICY) == {}
    for page, fields in SHOWN.items():
        text = page_text(hostile_site / page)
        assert [field for field in fields if HOSTILE[field] not in text] == [], page


def test_the_markup_check_finds_scripts_handlers_and_styles(tmp_path):
    (tmp_path / "a.html").write_text('<p class="x" onmouseover="alert(1)" data-x="">t</p><script>alert(1)</script>'
                                     '<span style="color: red">s</span><style>p {}</style>')
    assert markup_problems(tmp_path) == {"a.html": [
        "<p> has the attribute onmouseover='alert(1)'", "a script that is not one of the site's files: {}",
        "<span> has the attribute style='color: red'", "a <style> element"]}


@pytest.mark.parametrize(("status", "css"), [("active", "status-active"), ("decommissioning", "status-decommissioning"),
                                             ("", "status-other"), ("Active", "status-other"),
                                             (HOSTILE["status"], "status-other")])
def test_only_a_known_status_names_a_css_class(status, css):
    assert status_class(status) == css
