"""Contract comparison on small manifests: each breaking change is caught, non-breaking ones are not, a
break made as a new version passes, and the consumers hit are named by domain (the product's own tests not)."""

import copy
import datetime as dt

import pytest
from fixture_manifests import good_product, manifest, model

from mesh_platform.contract_diff.compare import compare as compare_meshes
from mesh_platform.contract_diff.report import HOW_TO_VERSION, to_markdown, to_text
from mesh_platform.manifest import Mesh

TODAY = dt.date(2026, 11, 23)


def compare(base: dict, now: dict, today: dt.date):
    return compare_meshes(Mesh(base), Mesh(now), today)


def mesh() -> dict:
    product, *tests = good_product()
    report = model("report", "ops", parents=[product["unique_id"]], raw_code="select amount from orders")
    raw = manifest(product, *tests, report)
    raw["metadata"]["project_name"] = "p"
    return raw


def orders(raw: dict) -> dict:
    return raw["nodes"]["model.p.orders.v1"]


def changed(edit) -> list:
    base, now = mesh(), mesh()
    edit(now)
    return [(change.breaking, change.what) for change in compare(base, now, TODAY)]


def test_the_same_manifest_has_no_change():
    assert compare(mesh(), mesh(), TODAY) == []


@pytest.mark.parametrize("edit, what", [
    (lambda m: orders(m)["columns"].pop("amount"), "column amount removed"),
    (lambda m: orders(m)["columns"]["amount"].update(data_type="integer"),
     "column amount type changed from decimal(12,2) to integer"),
    (lambda m: orders(m)["columns"]["order_id"].update(constraints=[]),
     "column order_id constraint primary_key removed"),
    (lambda m: orders(m)["config"].update(contract={"enforced": False}), "contract no longer enforced"),
    (lambda m: orders(m).update(access="protected"), "access narrowed from public to protected"),
    (lambda m: m["nodes"].pop("model.p.orders.v1"), "product removed"),
])
def test_each_breaking_change_is_caught(edit, what):
    assert (True, what) in changed(edit)


@pytest.mark.parametrize("edit, what", [
    (lambda m: orders(m)["columns"].update(extra={"name": "extra", "data_type": "int", "constraints": []}),
     "column extra added"),
    (lambda m: orders(m)["columns"]["amount"].update(description="Amount, in GBP."),
     "column amount description changed"),
    (lambda m: m["nodes"].update({"model.p.refunds": model("refunds", "sales", access="public")}), "new product"),
])
def test_non_breaking_changes_pass(edit, what):
    assert changed(edit) == [(False, what)]


def test_the_consumers_of_a_break_are_named_by_domain_without_the_products_own_tests():
    base, now = mesh(), mesh()
    orders(now)["columns"].pop("amount")
    (change,) = compare(base, now, TODAY)
    assert [(c.name, c.kind, c.domain, c.owner, c.mentions) for c in change.consumers] == \
        [("report", "model", "ops", "Ops @x/ops", True)]


def test_widening_access_to_public_is_a_new_product():
    base, now = mesh(), mesh()
    orders(base).update(access="protected")
    assert [(c.breaking, c.what) for c in compare(base, now, TODAY)] == \
        [(False, "new product: access widened from protected to public")]


NARROW_ADVICE = "Narrowed access is not fixed by a new version"


def test_narrowed_access_hits_only_other_domains_and_is_not_advised_as_a_new_version():
    base, now = mesh(), mesh()
    for raw in (base, now):  # a model of the product's own domain reads it too: protected still lets it
        raw["nodes"]["model.p.orders_summary"] = model("orders_summary", "sales", parents=["model.p.orders.v1"])
    orders(now).update(access="protected")
    changes = compare(base, now, TODAY)
    assert [(c.breaking, c.what, [consumer.name for consumer in c.consumers]) for c in changes] == \
        [(True, "access narrowed from public to protected", ["report"])]
    for report in (to_text(changes, "base"), to_markdown(changes, "base")):
        assert NARROW_ADVICE in report and HOW_TO_VERSION not in report and "v2" not in report
    orders(now)["columns"].pop("amount")  # a contract break beside it still gets the versioning advice
    report = to_text(compare(base, now, TODAY), "base")
    assert NARROW_ADVICE in report and HOW_TO_VERSION in report


def as_version_two(raw: dict, deprecation_date: str | None, latest: int) -> None:
    v2 = copy.deepcopy(orders(raw))
    v2.update(unique_id="model.p.orders.v2", version=2, latest_version=latest)
    v2["columns"].pop("amount")
    orders(raw).update(latest_version=latest, deprecation_date=deprecation_date)
    raw["nodes"][v2["unique_id"]] = v2


def test_a_break_made_as_a_new_version_with_the_old_one_deprecated_passes():
    assert changed(lambda m: as_version_two(m, "2027-06-30", latest=1)) == [(False, "new version")]


def test_a_new_latest_version_needs_the_old_one_deprecated_and_moves_unpinned_consumers():
    base, now = mesh(), mesh()
    as_version_two(now, None, latest=2)
    now["nodes"]["model.p.report"]["depends_on"]["nodes"] = ["model.p.orders.v2"]
    found = {change.what: change for change in compare(base, now, TODAY)}
    assert "kept without a deprecation_date now that v2 is the latest" in " ".join(found)
    moved = next(change for what, change in found.items() if what.startswith("consumers following"))
    assert moved.breaking and [c.name for c in moved.consumers] == ["report"]
    assert "pin ref('orders', v=1)" in moved.what


def test_a_version_removed_after_its_deprecation_date_is_fine_before_it_is_not():
    def drop_v1(raw, date):
        as_version_two(raw, date, latest=2)
        raw["nodes"].pop("model.p.orders.v1")
    assert (True, "version removed before its deprecation date") not in changed(lambda m: drop_v1(m, "2026-01-01"))
    base = mesh()
    as_version_two(base, "2027-06-30", latest=2)
    now = copy.deepcopy(base)
    now["nodes"].pop("model.p.orders.v1")
    assert [(c.breaking, c.what) for c in compare(base, now, TODAY)] == \
        [(True, "version removed before its deprecation date")]
