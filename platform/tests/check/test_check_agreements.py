"""ACC004 (every read of another domain's product is agreed) and ACC006 (grants follow the agreements), on small
fixture manifests with agreement files in a temporary project folder."""

import datetime as dt
from pathlib import Path

import pytest
from agreement_files import TODAY, file_agreement
from fixture_manifests import data_test, manifest, model

from mesh_platform.check.context import CheckContext
from mesh_platform.check.registry import all_rules


def findings(code: str, data: dict, root: Path) -> list:
    return list(all_rules()[code].check(CheckContext(data, root)))


def product(name: str = "b", domain: str = "ops", grants: dict | None = None) -> dict:
    node = model(name, domain, access="public", columns={"k": {"name": "k"}})
    node["config"]["grants"] = grants or {}
    return node


READER = model("a", "sales", parents=["model.p.b"])


def test_acc004_passes_when_the_producer_approved_the_read(tmp_path):
    file_agreement(tmp_path, "ops", "sales", "b", until=TODAY)
    assert findings("ACC004", manifest(READER, product()), tmp_path) == []


def test_acc004_names_the_model_the_product_and_the_command_to_run(tmp_path):
    (found,) = findings("ACC004", manifest(READER, product()), tmp_path)
    assert (found.node, found.domain, found.related) == ("model.p.a", "sales", "ops.b")
    assert "model a (sales) reads b of ops without an access agreement" in found.message
    assert 'mesh access request b --for sales --purpose "' in found.message


@pytest.mark.parametrize(("status", "until", "expected"), [
    ("requested", None, "only requested; ops's owners approve it: mesh access approve sales__b"),
    ("revoked", None, "was revoked"),
    ("rejected", None, "was rejected"),
    ("approved", TODAY - dt.timedelta(days=1), "ended on"),
])
def test_acc004_catches_an_agreement_that_does_not_hold(tmp_path, status, until, expected):
    file_agreement(tmp_path, "ops", "sales", "b", status=status, until=until)
    found = [v for v in findings("ACC004", manifest(READER, product()), tmp_path) if v.node == "model.p.a"]
    assert len(found) == 1 and expected in found[0].message


def test_acc004_an_expired_agreement_is_an_error_even_when_nothing_reads_the_product(tmp_path):
    file_agreement(tmp_path, "ops", "sales", "b", until=TODAY - dt.timedelta(days=1))
    (found,) = findings("ACC004", manifest(product()), tmp_path)
    assert found.node == "agreement:sales__b" and "ended on" in found.message


def test_acc004_an_agreement_filed_outside_the_producers_folder_does_not_count(tmp_path):
    file_agreement(tmp_path, "sales", "sales", "b")  # the consumer approving its own read, in its own folder
    found = findings("ACC004", manifest(READER, product()), tmp_path)
    assert {v.node for v in found} == {"model.p.a", "agreement:sales__b"}


def test_acc004_counts_tests_and_ignores_reads_inside_a_domain(tmp_path):
    own = model("c", "ops", parents=["model.p.b"])
    check = data_test("relationships_a_b", "relationships", "model.p.a", parents=["model.p.a", "model.p.b"])
    file_agreement(tmp_path, "ops", "sales", "other")
    found = findings("ACC004", manifest(model("a", "sales"), own, check, product(), product("other")), tmp_path)
    assert [v.node for v in found] == ["test.p.relationships_a_b"]


def test_acc004_catches_agreements_on_unknown_products_or_columns_and_unreadable_files(tmp_path):
    file_agreement(tmp_path, "ops", "sales", "nothing")
    file_agreement(tmp_path, "ops", "sales", "b", columns=("k", "secret"))
    bad = tmp_path / "models/ops/access/x__y.access.yml"
    bad.write_text("consumer: x\n")
    messages = " | ".join(v.message for v in findings("ACC004", manifest(product()), tmp_path))
    assert messages.count(" | ") == 2
    assert "names nothing, which is no data product of ops" in messages
    assert "names columns secret that b does not have" in messages
    assert "access agreement models/ops/access/x__y.access.yml: missing product" in messages


def test_acc004_a_domain_left_out_of_the_parse_is_still_a_domain_and_its_agreements_wait(tmp_path):
    file_agreement(tmp_path, "ops", "risk", "b")  # risk, the consumer, was left out
    file_agreement(tmp_path, "risk", "ops", "scores")  # risk's own products are not in the manifest
    context = CheckContext(manifest(product()), tmp_path)
    assert len(list(all_rules()["ACC004"].check(context))) == 2
    context.left_out = {"risk": object()}
    assert list(all_rules()["ACC004"].check(context)) == []


def test_acc006_passes_when_grants_are_what_the_agreements_give(tmp_path):
    file_agreement(tmp_path, "ops", "sales", "b")
    own = model("int_x", "ops", "intermediate")
    own["config"]["grants"] = {"select": ["mesh_ops"]}  # a domain's own role on its own model is no leak
    data = manifest(READER, product(grants={"select": ["mesh_sales"]}), own, product("c"))
    assert findings("ACC006", data, tmp_path) == []


@pytest.mark.parametrize(("grants", "agreed"), [
    ({"select": ["mesh_sales"]}, False),  # revoked, or never agreed: left behind
    ({}, True),  # approved, not regenerated
    ({"select": ["mesh_sales"], "insert": ["mesh_sales"]}, True),  # more than agreements give
])
def test_acc006_catches_grants_out_of_date_with_the_agreements(tmp_path, grants, agreed):
    if agreed:
        file_agreement(tmp_path, "ops", "sales", "b")
    (found,) = findings("ACC006", manifest(product(grants=grants)), tmp_path)
    assert found.node == "model.p.b" and "run `mesh access grants`" in found.message


def test_acc006_catches_a_private_model_or_raw_seed_granted_outside_its_domain(tmp_path):
    private = model("int_x", "ops", "intermediate")
    private["config"]["grants"] = {"select": ["mesh_sales"]}
    seed = {"unique_id": "seed.p.raw", "resource_type": "seed", "name": "raw", "original_file_path": "seeds/ops/r.csv",
            "config": {"group": "ops", "grants": {"select": "mesh_sales"}}}
    found = findings("ACC006", manifest(private, seed), tmp_path)
    assert sorted(v.node for v in found) == ["model.p.int_x", "seed.p.raw"]
    assert all("is not a data product but grants access to mesh_sales" in v.message for v in found)
