"""The manifest model on small fixture manifests: domains, ownership of nodes, products, the graph, projects."""

import json

import pytest
from fixture_manifests import SMALL_MANIFEST as MANIFEST
from fixture_manifests import data_test, manifest, model, source

from mesh_platform.errors import MeshError
from mesh_platform.manifest import Mesh, dependents_on, legacy_domain_name, load_manifest, placement
from mesh_platform.manifest.domains import Domain


@pytest.fixture
def mesh():
    return Mesh(MANIFEST)


def test_domains_are_the_groups_with_their_owners(mesh):
    assert list(mesh.domains) == ["ops", "sales"]
    sales = mesh.domains["sales"]
    assert (sales.owner_name, sales.owner_email, sales.team_handle, sales.status) == (
        "Sales", "s@x.example", "@x/sales", "active")
    assert sales.description == "Sales team."
    assert sales.owner == "Sales <s@x.example> @x/sales"
    assert mesh.domains["ops"].team_handle == ""


@pytest.mark.parametrize("unique_id, domain", [
    ("model.p.orders", "sales"),              # group property
    ("model.p.loose", "ops"),                 # group set in config
    ("test.p.unique_orders_id", "sales"),     # a generic test belongs to the model it tests
    ("test.p.assert_ops", "ops"),             # a singular test in tests/<domain>/
    ("test.p.assert_nowhere", None),          # neither group nor domain folder
    ("model.p.missing", None),
])
def test_domain_of(mesh, unique_id, domain):
    assert mesh.domain_of(unique_id) == domain


def test_a_singular_test_or_unit_test_belongs_to_the_domain_of_the_models_it_reads():
    orders, stg = model("orders", "sales"), model("stg_orders", "sales", "staging")
    other = model("loose", "ops")
    data = manifest(orders, stg, other,
                    {"unique_id": "test.p.assert_one", "resource_type": "test", "name": "assert_one",
                     "original_file_path": "tests/assert_one.sql", "depends_on": {"nodes": [orders["unique_id"]]}},
                    {"unique_id": "test.p.assert_two", "resource_type": "test", "name": "assert_two",
                     "original_file_path": "tests/assert_two.sql",
                     "depends_on": {"nodes": [orders["unique_id"], other["unique_id"]]}})
    data["unit_tests"] = {"unit_test.p.orders.t": {"resource_type": "unit_test", "name": "t", "model": "orders",
                                                   "original_file_path": "tests/unit.yml",
                                                   "depends_on": {"nodes": [orders["unique_id"]]}}}
    mesh = Mesh(data)
    assert mesh.domain_of("test.p.assert_one") == "sales"
    assert mesh.domain_of("test.p.assert_two") is None  # two domains: neither owns it
    assert mesh.domain_of("unit_test.p.orders.t") == "sales"
    assert [test.name for test in mesh.unit_tests_of(orders["unique_id"])] == ["t"]


def test_a_node_of_an_installed_package_is_in_no_domain_whatever_its_folder_in_the_package():
    data = manifest(model("orders", "sales"),
                    {**model("calendar", "sales", group_name=None), "group": None, "config": {},
                     "unique_id": "model.utils.calendar", "package_name": "utils"})
    data["metadata"]["project_name"] = "p"
    mesh = Mesh(data)
    assert mesh.domain_of("model.utils.calendar") is None and mesh.package_of("model.utils.calendar") == "utils"
    assert mesh.domain_of("model.p.orders") == "sales" and mesh.package_of("model.p.orders") is None


def test_a_unit_test_belongs_to_the_model_it_tests_even_in_another_domains_yaml():
    orders = model("orders", "sales")
    data = manifest(orders, model("loose", "ops"))
    data["unit_tests"] = {"unit_test.p.orders.t": {"resource_type": "unit_test", "name": "t", "model": "orders",
                                                   "original_file_path": "models/ops/unit_tests.yml",
                                                   "depends_on": {"nodes": [orders["unique_id"]]}}}
    assert Mesh(data).domain_of("unit_test.p.orders.t") == "sales"


def test_an_exposure_belongs_to_its_folder_or_else_its_owners_domain():
    data = manifest(model("orders", "sales"))
    data["exposures"] = {
        "exposure.p.board": {"name": "board", "original_file_path": "models/ops/_exposures.yml",
                             "owner": {"name": "Sales"}, "depends_on": {"nodes": ["model.p.orders"]}},
        "exposure.p.pack": {"name": "pack", "original_file_path": "models/_exposures.yml",
                            "owner": {"name": "Sales"}, "depends_on": {"nodes": ["model.p.orders"]}}}
    mesh = Mesh(data)
    assert (mesh.domain_of("exposure.p.board"), mesh.domain_of("exposure.p.pack")) == ("ops", "sales")
    assert sorted(mesh.children("model.p.orders")) == ["exposure.p.board", "exposure.p.pack"]


def test_products_are_the_public_models_and_the_latest_versions(mesh):
    assert [(m.name, m.version, mesh.domain_of(m.unique_id)) for m in mesh.products()] == [("orders", 1, "sales")]
    assert mesh.products("ops") == []
    assert [m.name for m in mesh.models("sales")] == ["orders", "stg_orders"]
    two = Mesh(manifest(model("orders", "sales", access="public", version=1, latest_version=2),
                        model("orders", "sales", access="public", version=2, latest_version=2)))
    assert [(name, node.version) for name, node in two.latest_products().items()] == [("orders", 2)]
    assert two.is_product("model.p.orders.v1") and not two.is_product("model.p.missing")


def test_parents_children_descendants_and_tests():
    stg = model("stg_orders", "sales", "staging")
    mart = model("orders", "sales", parents=[stg["unique_id"]])
    report = model("report", "ops", parents=[mart["unique_id"]])
    test = data_test("unique_orders_id", "unique", mart["unique_id"], "order_id")
    mesh = Mesh(manifest(stg, mart, report, test))
    assert mesh.parents(mart["unique_id"]) == [stg["unique_id"]]
    assert sorted(mesh.children(mart["unique_id"])) == [report["unique_id"], test["unique_id"]]
    assert mesh.descendants(stg["unique_id"]) == {mart["unique_id"], report["unique_id"], test["unique_id"]}
    assert [t.name for t in mesh.tests_of(mart["unique_id"])] == ["unique_orders_id"]
    assert mesh.layer(stg["unique_id"]) == "staging" and mesh.layer(report["unique_id"]) == "marts"
    assert mesh.relation(mart["unique_id"]) == "sales.orders"
    assert mesh.label(mart["unique_id"]) == "orders" and mesh.label("model.p.gone") == "model.p.gone"


@pytest.mark.parametrize("path, expected", [
    ("models/sales/staging/crm/stg_crm__orders.sql", ("models", "sales", "staging")),
    ("models/sales/marts/orders.sql", ("models", "sales", "marts")),
    ("models/sales/orders.sql", ("models", "sales", None)),
    ("models/orders.sql", ("models", None, None)),
    ("./models//sales/marts/x.sql", ("models", "sales", "marts")),
    ("tests/sales/assert_x.sql", ("tests", "sales", None)),
    ("/abs/models/sales/x.sql", (None, None, None)),
    ("", (None, None, None)),
])
def test_placement_of_a_file(path, expected):
    where = placement(path)
    assert (where.root, where.folder, where.layer) == expected


def test_several_projects_one_mesh_a_mirrored_node_yields_to_its_own_project():
    producer = manifest(model("advances", "funding", access="public", version=1), groups=("funding",))
    producer["metadata"]["project_name"] = "funding"
    producer["nodes"]["model.p.advances.v1"]["package_name"] = "funding"
    mirrored = dict(producer["nodes"]["model.p.advances.v1"], description="as the consumer saw it")
    consumer = manifest(model("repayments", "collections", parents=["model.p.advances.v1"]),
                        groups=("collections",))
    consumer["metadata"]["project_name"] = "collections"
    consumer["nodes"]["model.p.advances.v1"] = mirrored
    mesh = Mesh([consumer, producer])
    assert list(mesh.manifests) == ["collections", "funding"]
    assert list(mesh.domains) == ["collections", "funding"]
    assert mesh.nodes["model.p.advances.v1"].description != "as the consumer saw it"
    assert mesh.project_of["model.p.advances.v1"] == "funding"
    assert mesh.project_of["model.p.repayments"] == "collections"
    assert mesh.children("model.p.advances.v1") == ["model.p.repayments"]
    assert not mesh.is_package_node("model.p.advances.v1")
    with pytest.raises(ValueError):
        mesh.manifest  # noqa: B018 - several projects have no single manifest


def test_nodes_of_installed_packages_are_not_the_projects_own():
    data = manifest(model("orders", "sales"), model("fct_evaluation", "sales", package_name="dbt_project_evaluator"))
    data["metadata"]["project_name"] = "p"
    mesh = Mesh(data)
    assert mesh.is_package_node("model.p.fct_evaluation") and not mesh.is_package_node("model.p.orders")


def test_the_legacy_domain_is_named_legacy_or_is_the_one_decommissioning():
    def domain(name, status=""):
        return Domain(name, "", "", "", "", status)

    assert legacy_domain_name({"legacy": domain("legacy"), "sales": domain("sales")}) == "legacy"
    assert legacy_domain_name({"monolith": domain("monolith", "decommissioning")}) == "monolith"
    assert legacy_domain_name({"a": domain("a", "decommissioning"), "b": domain("b", "decommissioning")}) is None
    assert legacy_domain_name({"sales": domain("sales")}) is None


def test_dependents_on_a_domain_are_every_consumer_outside_it():
    legacy = model("legacy_book", "legacy")
    mart = model("orders", "sales", parents=[legacy["unique_id"]])
    test = data_test("relationships_orders", "relationships", mart["unique_id"], parents=[legacy["unique_id"],
                                                                                         mart["unique_id"]])
    inside = model("legacy_wide", "legacy", parents=[legacy["unique_id"]])
    loose = model("loose", "nowhere", path="models/loose.sql", group_name="", parents=[legacy["unique_id"]])
    raw = source("crm", "orders", "legacy")
    mesh = Mesh(manifest(legacy, mart, test, inside, loose, groups=("legacy", "sales"), sources=(raw,)))
    found = dependents_on("legacy", mesh.consumers(), mesh.domain_of)
    assert found == {mart["unique_id"]: (legacy["unique_id"],), test["unique_id"]: (legacy["unique_id"],),
                     loose["unique_id"]: (legacy["unique_id"],)}


def test_unknown_domain_is_refused_with_the_known_ones(mesh):
    with pytest.raises(MeshError, match="unknown domain 'finance'; the domains are: ops, sales"):
        mesh.require_domain("finance")
    assert mesh.require_domain("ops").owner_name == "Ops"


def test_manifest_file_errors_are_one_clear_line(tmp_path):
    with pytest.raises(MeshError, match="no manifest at .*run `dbt parse`"):
        load_manifest(tmp_path / "manifest.json")
    with pytest.raises(MeshError, match="is a folder; pass the manifest.json file"):
        load_manifest(tmp_path)
    broken = tmp_path / "broken.json"
    broken.write_text("{not json")
    with pytest.raises(MeshError, match="is not a dbt manifest"):
        load_manifest(broken)
    wrong = tmp_path / "wrong.json"
    wrong.write_text(json.dumps({"nodes": {"x": {"resource_type": 3}}}))
    with pytest.raises(MeshError, match="is not a dbt manifest"):
        load_manifest(wrong)
    empty = tmp_path / "empty.json"
    empty.write_text("{}")
    with pytest.raises(MeshError, match="is not a dbt manifest"):
        load_manifest(empty)
    good = tmp_path / "good.json"
    good.write_text(json.dumps(manifest(model("orders", "sales", access="public", version=1))))
    mesh = Mesh(load_manifest(good))
    assert list(mesh.domains) == ["ops", "sales"]
    assert [(m.name, mesh.domain_of(m.unique_id)) for m in mesh.products()] == [("orders", "sales")]
