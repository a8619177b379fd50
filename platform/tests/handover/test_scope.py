"""What a handover takes along and what blocks it, on a fixture manifest: upstream only moving nodes use (the
tests of what moves included), upstream shared with models that stay, every blocker at once."""

from fixture_manifests import data_test, manifest, model, source

from mesh_platform.handover.scope import scope
from mesh_platform.handover.sources import Shared, SourceSplit
from mesh_platform.manifest import Mesh
from mesh_platform.manifest.nodes import access

LEGACY = ("legacy", "sales")


def shop() -> Mesh:
    return Mesh(manifest(
        model("stg_a", "legacy", "staging"), model("stg_b", "legacy", "staging"), model("stg_c", "legacy", "staging"),
        model("mart_x", "legacy", parents=["model.p.stg_a", "model.p.stg_b"]),
        model("mart_y", "legacy", parents=["model.p.stg_b"]),
        model("mart_z", "legacy", parents=["model.p.stg_c"]),
        data_test("relationships_mart_x", "relationships", "model.p.mart_x", "z_id",
                  parents=["model.p.mart_x", "model.p.mart_z"]),
        groups=LEGACY))


def planned(mesh: Mesh, with_upstream=False, shared=None):
    return planned_on(mesh, with_upstream, shared, asked="model.p.mart_x")


def planned_on(mesh: Mesh, with_upstream=False, shared=None, asked="model.p.mart_sales"):
    def access_after(uid, moving, made_public):
        return "public" if uid in made_public else "private" if uid in moving else access(mesh.nodes[uid])
    return scope(mesh, {asked}, "sales", with_upstream, shared, access_after, lambda *_: False)


def test_alone_every_blocker_is_named_with_the_flag_that_lifts_it():
    found = planned(shop())
    assert found.models == {"model.p.mart_x"}
    assert found.blockers == [
        "mart_x would use stg_a of domain legacy, which is private: hand stg_a over too (--with-upstream)",
        "mart_x would use stg_b of domain legacy, which is private: hand stg_b over too and make it public "
        "(--with-upstream --shared move), or publish it where it is (--shared publish)",
        "test relationships_mart_x would use mart_z of domain legacy, which is protected: hand mart_z over too "
        "(--with-upstream)"]


def test_with_upstream_takes_what_only_moving_nodes_use_and_names_what_is_shared():
    found = planned(shop(), with_upstream=True)
    assert found.upstream == {"model.p.stg_a", "model.p.mart_z", "model.p.stg_c"}
    assert found.left_shared == {"model.p.stg_b"}
    assert len(found.blockers) == 1 and "stg_b" in found.blockers[0]


def test_shared_upstream_moves_made_public_and_its_readers_left_behind_are_named():
    found = planned(shop(), with_upstream=True, shared="move")
    assert found.shared == {"model.p.stg_b"}
    assert found.blockers == ["mart_y (legacy) would read stg_b of sales without an access agreement (ACC004): "
                              "hand mart_y over too"]


def test_shared_upstream_published_stays_and_its_reads_block_nothing():
    found = planned(shop(), with_upstream=True, shared="publish")
    assert found.published == {"model.p.stg_b"} and "model.p.stg_b" not in found.models
    assert found.blockers == []


RAW = "models/legacy/staging/ecom/_s.yml"


def deli(stores_read_orders: bool) -> Mesh:
    """One source `ecom` of three tables, read by the staging models of two future domains."""
    return Mesh(manifest(
        model("stg_orders", "legacy", "staging", parents=["source.p.ecom.orders"]),
        model("stg_customers", "legacy", "staging", parents=["source.p.ecom.customers"]),
        model("stg_stores", "legacy", "staging",
              parents=["source.p.ecom.stores", *(["source.p.ecom.orders"] if stores_read_orders else [])]),
        model("mart_sales", "legacy", parents=["model.p.stg_orders", "model.p.stg_customers"]),
        model("mart_stores", "legacy", parents=["model.p.stg_stores"]),
        groups=LEGACY, sources=[source("ecom", table, "legacy") for table in ("orders", "customers", "stores")]))


def test_the_tables_only_moving_models_read_move_and_the_rest_stay():
    found = planned_on(deli(stores_read_orders=False), with_upstream=True)
    assert found.blockers == []
    assert found.sources == [SourceSplit(RAW, "ecom", ("orders", "customers"), ("stores",), ("stores",))]
    assert not found.sources[0].whole


def test_a_table_read_by_what_moves_and_what_stays_is_a_blocker_that_names_both():
    found = planned_on(deli(stores_read_orders=True), with_upstream=True)
    assert found.sources[0].shared == {"orders": Shared(("model.p.stg_orders",), ("model.p.stg_stores",))}
    assert found.blockers == [f"source table ecom.orders ({RAW}) is read by stg_orders, which moves, and by "
                              "stg_stores, which stays: hand stg_stores over too (--shared move)"]


def test_shared_move_takes_the_other_readers_of_a_shared_table_along_made_public():
    found = planned_on(deli(stores_read_orders=True), with_upstream=True, shared="move")
    assert found.shared == {"model.p.stg_stores"}
    assert found.sources[0].whole  # every table anything reads now moves
    assert found.blockers == ["mart_stores (legacy) would read stg_stores of sales without an access agreement "
                              "(ACC004): hand mart_stores over too"]
