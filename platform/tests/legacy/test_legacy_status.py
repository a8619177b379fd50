"""The legacy burn-down's core: models still in legacy, who depends on them, history rebuilt from the log."""

import datetime as dt

import duckdb
import pytest
from fixture_manifests import data_test, manifest, model

from mesh_platform.errors import MeshError
from mesh_platform.legacy.status import (
    Dependent,
    HistoryPoint,
    LegacyModel,
    as_json,
    count_rows,
    legacy_dependents,
    legacy_models,
    legacy_status,
    reconstruct_history,
    with_rows,
)
from mesh_platform.manifest import Mesh
from mesh_platform.ownership_log import OwnershipChange

TODAY = dt.date(2026, 11, 23)
SQL_3 = "select\n    id\n\nfrom {{ ref('x') }}\n"  # 3 non-blank lines
SQL_5 = "select\n  a,\n  b\nfrom t\nwhere a > 0\n\n\n"


def legacy(name, layer="marts", version=None, **extra):
    """A legacy model with the schema and alias dbt gives it (versions as `<name>_v<version>`)."""
    alias = name if version is None else f"{name}_v{version}"
    return model(name, "legacy", layer, version=version, schema="legacy", alias=alias, **extra)


def mesh_graph(edit=lambda raw: None) -> Mesh:
    raw = manifest(
        legacy("legacy_a", raw_code=SQL_3),
        legacy("legacy_b", version=2, raw_code="select 2\n"),
        legacy("legacy_b", version=1, raw_code=SQL_5),
        legacy("stg_legacy", "staging", raw_code=SQL_3),
        legacy("legacy_wide", parents=["model.p.stg_legacy"], raw_code=SQL_3, config={"materialized": "ephemeral"}),
        model("partner_x", "partners", parents=["model.p.legacy_a", "model.p.partners_base"], raw_code=SQL_3),
        model("partners_base", "partners", raw_code=SQL_3),
        model("report", "analytics", version=1, parents=["model.p.legacy_b.v1", "model.p.legacy_a"]),
        model("report", "analytics", version=2, parents=["model.p.legacy_b.v2"]),
        model("clean", "analytics", parents=["model.p.partner_x"]),
        data_test("not_null_partner_x", "not_null", "model.p.partner_x", "id",
                  parents=["model.p.partner_x", "model.p.legacy_a"]),
        groups=("legacy", "partners", "analytics"),
    )
    edit(raw)
    return Mesh(raw)


def change(date, model_name, from_domain, to_domain, lines, new_name=None):
    return OwnershipChange(date, model_name, new_name or model_name, from_domain, to_domain, lines, "why")


def figures(history):
    return [(str(p.date), p.models, p.sql_lines) for p in history.points]


# -- today: the models still in legacy ------------------------------------------------------------------


def test_legacy_models_are_counted_once_per_name_with_their_first_versions_sql_lines():
    models = legacy_models(mesh_graph())
    assert [(m.name, m.sql_lines) for m in models] == [
        ("legacy_a", 3), ("legacy_b", 5), ("legacy_wide", 3), ("stg_legacy", 3)]
    assert models[1].unique_ids == ("model.p.legacy_b.v1", "model.p.legacy_b.v2")
    assert models[0].relation == ("legacy", "legacy_a")  # the schema and alias the warehouse holds
    assert models[1].relation == ("legacy", "legacy_b_v1")
    assert models[2].relation is None  # ephemeral: nothing to count


def test_a_project_without_a_legacy_domain_is_refused_in_one_line():
    graph = Mesh(manifest(model("orders", "sales"), groups=("sales", "ops")))
    with pytest.raises(MeshError, match=r"^this project has no 'legacy' domain .*the domains are: ops, sales$"):
        legacy_models(graph)


def test_dependents_are_other_domains_models_and_tests_reading_legacy_with_their_owner():
    """The same set LEG001 reports: a test reading a legacy model is a dependency too."""
    assert legacy_dependents(mesh_graph()) == [
        Dependent("report", "analytics", "Analytics", "@x/analytics", ("legacy_a", "legacy_b")),
        Dependent("not_null_partner_x", "partners", "Partners", "@x/partners", ("legacy_a",)),
        Dependent("partner_x", "partners", "Partners", "@x/partners", ("legacy_a",)),
    ]


def test_legacy_status_and_leg001_count_the_same_dependencies():
    from mesh_platform.check.context import CheckContext
    from mesh_platform.check.registry import all_rules

    graph = mesh_graph()
    found = {(v.node, v.related) for v in all_rules()["LEG001"].check(CheckContext(graph))}
    assert {(graph.nodes[uid].name, graph.nodes[parent].name) for uid, parent in found} == {
        (d.model, use) for d in legacy_dependents(graph) for use in d.uses}


def test_a_model_that_stops_reading_legacy_is_no_longer_a_dependent():
    def edit(raw):
        raw["nodes"]["model.p.partner_x"]["depends_on"]["nodes"] = ["model.p.partners_base"]
        raw["nodes"]["test.p.not_null_partner_x"]["depends_on"]["nodes"] = ["model.p.partner_x"]

    assert [d.model for d in legacy_dependents(mesh_graph(edit))] == ["report"]


# -- history, rebuilt backwards from today --------------------------------------------------------------


def test_without_a_log_the_history_is_today_only():
    history = reconstruct_history({"a": 10, "b": 5}, [], TODAY)
    assert history.start is None and history.mismatches == []
    assert history.points == [HistoryPoint(TODAY, 2, 15)]


def test_adoption_then_handovers_are_rebuilt_day_by_day():
    log = [
        change("2026-09-01", "a", "(monolith)", "legacy", 12),
        change("2026-09-01", "b", "(monolith)", "legacy", 5),
        change("2026-09-01", "old_report", "(monolith)", "legacy", 40),
        change("2026-09-01", "old_takings", "(monolith)", "legacy", 60),
        change("2026-10-15", "old_takings", "legacy", "partners", 64, new_name="merchant_takings"),
        change("2026-11-10", "old_report", "legacy", "analytics", 45),
        change("2026-11-10", "orders", "sales", "ops", 99),  # not about legacy: ignored
    ]
    history = reconstruct_history({"a": 10, "b": 5}, log, TODAY)
    assert (history.start.date, history.start.models, history.start.sql_lines) == (dt.date(2026, 9, 1), 0, 0)
    # the figures a model left with are what it weighed in legacy; today's are the manifest's
    assert figures(history) == [("2026-09-01", 4, 124), ("2026-10-15", 3, 60), ("2026-11-10", 2, 15),
                                ("2026-11-23", 2, 15)]
    assert history.points[1].change() == "-1 to partners: old_takings"
    assert history.points[0].change() == "+4 from (monolith)"
    assert history.mismatches == []


def test_a_handover_row_means_legacy_was_one_model_bigger_before_it():
    log = [change("2026-10-15", "legacy_x", "legacy", "partners", 30)]
    history = reconstruct_history({"a": 10}, log, TODAY)
    assert (history.start.models, history.start.sql_lines) == (2, 40)
    assert figures(history) == [("2026-10-15", 1, 10), ("2026-11-23", 1, 10)]


def test_a_model_adopted_and_handed_over_the_same_day_leaves_no_trace_before_that_day():
    log = [change("2026-10-01", "x", "(monolith)", "legacy", 7),
           change("2026-10-01", "x", "legacy", "funding", 7)]
    history = reconstruct_history({"a": 10}, log, TODAY)
    assert (history.start.models, history.start.sql_lines) == (1, 10)
    assert figures(history) == [("2026-10-01", 1, 10), ("2026-11-23", 1, 10)]


def test_a_log_row_of_today_is_todays_point_not_a_second_one():
    log = [change("2026-11-01", "a", "(monolith)", "legacy", 10),
           change("2026-11-23", "b", "legacy", "funding", 8)]
    history = reconstruct_history({"a": 10}, log, TODAY)
    assert figures(history) == [("2026-11-01", 2, 18), ("2026-11-23", 1, 10)]
    assert history.points[-1].change() == "-1 to funding: b"


def test_a_rename_inside_legacy_keeps_the_count():
    log = [change("2026-10-01", "old", "(monolith)", "legacy", 9),
           change("2026-10-10", "old", "legacy", "legacy", 9, new_name="new")]
    history = reconstruct_history({"new": 11}, log, TODAY)
    assert figures(history) == [("2026-10-01", 1, 11), ("2026-10-10", 1, 11), ("2026-11-23", 1, 11)]
    assert history.mismatches == []


def test_a_log_that_contradicts_the_project_is_reported():
    log = [change("2026-09-01", "gone", "(monolith)", "legacy", 9),  # no row moves it out, yet it is not there
           change("2026-10-01", "a", "legacy", "funding", 4)]  # moved out, yet still in legacy today
    history = reconstruct_history({"a": 10}, log, TODAY)
    assert len(history.mismatches) == 2
    assert history.mismatches[0].startswith("2026-09-01: gone moved into legacy from (monolith), yet it is not")
    assert history.mismatches[1].startswith("2026-10-01: a moved out of legacy to funding, yet a legacy model")
    assert history.start.models >= 0


def test_the_status_puts_it_together_and_as_json_keeps_every_figure():
    log = [change("2026-10-15", "legacy_gone", "legacy", "partners", 30)]
    status = legacy_status(mesh_graph(), log, TODAY)
    status = with_rows(status, {"legacy_a": 4, "legacy_b": 2, "stg_legacy": 7}, "rows unknown for legacy_wide")
    assert status.total_lines == 14 and status.total_rows is None
    data = as_json(status, "target/legacy-burndown.png")
    assert data["totals"] == {"models": 4, "sql_lines": 14, "rows": None}
    assert [m["rows"] for m in data["models"]] == [4, 2, None, 7]
    assert data["dependents"][2] == {"model": "partner_x", "domain": "partners", "owner": "Partners",
                                     "team_handle": "@x/partners", "uses": ["legacy_a"]}
    assert data["history"]["start"] == {"before": "2026-10-15", "models": 5, "sql_lines": 44}
    assert data["history"]["points"][0]["moved_out"] == [{"model": "legacy_gone", "to": "partners"}]
    assert data["chart"] == "target/legacy-burndown.png"


# -- row counts from the warehouse ----------------------------------------------------------------------


def legacy_model(name, relation):
    return LegacyModel(name, (f"model.p.{name}",), f"models/legacy/{name}.sql", 1, relation)


def test_rows_are_counted_in_the_duckdb_file_and_unknown_where_not_built(tmp_path):
    database = tmp_path / "mesh.duckdb"
    with duckdb.connect(str(database)) as connection:
        connection.execute("create schema legacy; create table legacy.book_v1 as select * from range(42)")
    counts, note = count_rows(database, [legacy_model("book", ("legacy", "book_v1")),
                                         legacy_model("missing", ("legacy", "missing")),
                                         legacy_model("ephemeral", None)])
    assert counts == {"book": 42, "missing": None, "ephemeral": None}
    assert note == f"rows unknown for missing, ephemeral (ephemeral): not built in {database}"
    with duckdb.connect(str(database)) as connection:  # read-only: the file was not locked nor changed
        assert connection.sql("select count(*) from legacy.book_v1").fetchone() == (42,)


def test_without_a_warehouse_file_rows_are_unknown_not_an_error(tmp_path):
    counts, note = count_rows(tmp_path / "mesh.duckdb", [legacy_model("book", ("legacy", "book_v1"))])
    assert counts == {} and note.startswith("rows unknown: the warehouse") and "not built yet" in note
    assert not (tmp_path / "mesh.duckdb").exists()
