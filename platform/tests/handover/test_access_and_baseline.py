"""The pieces of a handover's plan that need no dbt: the access a destination folder cascades to a model, the
access a model declares itself, and baseline entries keyed anew after a move."""

from mesh_platform.handover.access import FolderConfig, access_at, own_access
from mesh_platform.handover.baseline import rekeyed, touched

PROJECT = """name: shop
models:
  shop:
    +access: protected
    legacy:
      staging:
        +access: public
    sales:
      staging: {+access: private}
      marts:
        finance:
          access: public
"""


def folders(tmp_path) -> FolderConfig:
    (tmp_path / "dbt_project.yml").write_text(PROJECT)
    return FolderConfig(tmp_path, "shop")


def test_the_nearest_folder_config_wins_as_dbt_cascades_it(tmp_path):
    config = folders(tmp_path)
    assert config.value("models/legacy/staging/stg_orders.sql", "access") == "public"
    assert config.value("models/sales/staging/stg_orders.sql", "access") == "private"
    assert config.value("models/sales/marts/orders.sql", "access") == "protected"  # the project's own
    assert config.value("models/sales/marts/finance/takings.sql", "access") == "public"
    assert config.value("seeds/raw_orders.csv", "access") is None


def test_a_models_own_access_beats_its_folder(tmp_path):
    config = folders(tmp_path)
    assert access_at(config, "models/sales/staging/stg_orders.sql", None) == "private"
    assert access_at(config, "models/sales/staging/stg_orders.sql", "public") == "public"
    assert own_access(["  - name: orders\n", "    config:\n", "      access: public\n"], "") == "public"
    assert own_access(["  - name: orders\n", "    access: private  # why\n"], "") == "private"
    assert own_access(None, "{{ config(materialized='table', access='public') }}\nselect 1") == "public"
    assert own_access(["  - name: orders\n"], "select 1") is None


def entry(key: str, message: str = "") -> dict:
    return {"key": key, "rule": key.split(":")[0], "node": key.split(":")[1], "message": message}


def test_a_moved_nodes_entries_are_keyed_anew_while_the_check_still_finds_them():
    entries = [entry("LAY001:model.p.stg_orders", "old"), entry("PRD001:model.p.stg_orders"),
               entry("LEG001:model.p.report:model.p.stg_orders"), entry("TST001:model.p.other")]
    moved = {"model.p.stg_orders": "stg_shop__orders"}
    assert touched(entries, moved) == entries[:3]
    edge = "LEG001:model.p.report:model.p.stg_shop__orders"
    still_open = {"LAY001:model.p.stg_shop__orders": entry("LAY001:model.p.stg_shop__orders", "new"), edge: entry(edge)}
    renamed = {"model.p.stg_orders": "model.p.stg_shop__orders"}
    kept = rekeyed(entries, moved, lambda uid: renamed.get(uid, uid), still_open)
    assert [item["key"] for item in kept] == ["LAY001:model.p.stg_shop__orders",
                                              "LEG001:model.p.report:model.p.stg_shop__orders", "TST001:model.p.other"]
    assert kept[0]["message"] == "new"  # PRD001 is gone: the model is private where it went


def test_an_entry_of_a_rule_that_did_not_run_is_kept_keyed_anew():
    """On a parse alone (a foreign warehouse's project) ACC002 does not run: its entry is not 'no longer found'."""
    entries = [entry("ACC002:model.p.stg_orders", "reads raw"), entry("LAY001:model.p.stg_orders")]
    moved = {"model.p.stg_orders": "stg_shop__orders"}
    renamed = {"model.p.stg_orders": "model.p.stg_shop__orders"}
    kept = rekeyed(entries, moved, lambda uid: renamed.get(uid, uid), {}, unjudged={"ACC002"})
    assert kept == [{"key": "ACC002:model.p.stg_shop__orders", "rule": "ACC002", "node": "model.p.stg_shop__orders",
                     "message": "reads raw"}]
    assert rekeyed(entries, moved, lambda uid: renamed.get(uid, uid), {}) == []
