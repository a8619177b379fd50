"""MeshGraph on a small fixture manifest: domains, ownership of nodes, products."""

import json

import pytest

from mesh_platform.errors import MeshError
from mesh_platform.graph import MeshGraph

from fixture_manifests import SMALL_MANIFEST as MANIFEST
from fixture_manifests import manifest, model


@pytest.fixture
def graph():
    return MeshGraph(MANIFEST)


def test_domains_are_the_groups_with_their_owners(graph):
    assert list(graph.domains) == ["ops", "sales"]
    sales = graph.domains["sales"]
    assert (sales.owner_name, sales.owner_email, sales.team_handle, sales.status) == (
        "Sales", "s@x.example", "@x/sales", "active")
    assert sales.description == "Sales team."
    assert graph.domains["ops"].team_handle == ""


@pytest.mark.parametrize("unique_id, domain", [
    ("model.p.orders", "sales"),              # group property
    ("model.p.loose", "ops"),                 # group set in config
    ("test.p.unique_orders_id", "sales"),     # a generic test belongs to the model it tests
    ("test.p.assert_ops", "ops"),             # a singular test in tests/<domain>/
    ("test.p.assert_nowhere", None),          # neither group nor domain folder
    ("model.p.missing", None),
])
def test_domain_of(graph, unique_id, domain):
    assert graph.domain_of(unique_id) == domain


def test_products_are_the_public_models(graph):
    assert [(m.name, m.label, m.domain) for m in graph.products()] == [("orders", "orders.v1", "sales")]
    assert graph.products("ops") == []
    assert [m.name for m in graph.models("sales")] == ["orders", "stg_orders"]
    assert [m.access for m in graph.models("ops")] == ["protected"]  # dbt's default access


def test_unknown_domain_is_refused_with_the_known_ones(graph):
    with pytest.raises(MeshError, match="unknown domain 'finance'; the domains are: ops, sales"):
        graph.require_domain("finance")
    assert graph.require_domain("ops").owner_name == "Ops"


def test_manifest_file_errors_are_one_clear_line(tmp_path):
    with pytest.raises(MeshError, match="no manifest at .*run `dbt parse`"):
        MeshGraph.from_file(tmp_path / "manifest.json")
    with pytest.raises(MeshError, match="is a folder; pass the manifest.json file"):
        MeshGraph.from_file(tmp_path)
    broken = tmp_path / "broken.json"
    broken.write_text("{not json")
    with pytest.raises(MeshError, match="is not a dbt manifest"):
        MeshGraph.from_file(broken)
    good = tmp_path / "good.json"
    good.write_text(json.dumps(manifest(model("orders", "sales", access="public", version=1))))
    graph = MeshGraph.from_file(good)
    assert list(graph.domains) == ["ops", "sales"]
    assert [(m.label, m.domain, m.access) for m in graph.products()] == [("orders.v1", "sales", "public")]
