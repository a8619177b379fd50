"""Build report arithmetic and selector composition, without dbt."""

from types import SimpleNamespace

import pytest
from fixture_manifests import SMALL_MANIFEST as MANIFEST

from mesh_platform.build import BuildReport, NodeOutcome, ProgressPrinter, selection
from mesh_platform.manifest import Mesh


def outcome(resource_type, status, domain="sales", name="n"):
    return NodeOutcome(f"{resource_type}.p.{name}", name, resource_type, domain, status, "", "models/x.sql")


@pytest.mark.parametrize("domain, select, expected", [
    (None, [], []),
    (None, ["tag:x", "orders+"], ["tag:x", "orders+"]),
    ("sales", [], ["group:sales"]),
    ("sales", ["tag:x", "orders+"], ["group:sales,tag:x", "group:sales,orders+"]),
])
def test_selection_intersects_the_domain_with_each_criterion(domain, select, expected):
    assert selection(domain, select) == expected


def test_report_tallies_each_domain_and_lists_failures():
    report = BuildReport([
        outcome("seed", "success"), outcome("model", "success"), outcome("model", "error", name="bad"),
        outcome("model", "skipped"), outcome("test", "pass"), outcome("test", "fail", name="t"),
        outcome("test", "warn"), outcome("snapshot", "success", domain="ops"),
        outcome("test", "pass", domain="(no domain)"), outcome("exposure", "no-op"),  # listed, nothing ran
    ])
    tallies = report.by_domain(Mesh(MANIFEST))
    assert list(tallies) == ["ops", "sales", "(no domain)"]
    sales = tallies["sales"]
    assert (sales.seeds_loaded, sales.models_ok, sales.models_failed, sales.models_skipped) == (1, 1, 1, 1)
    assert (sales.tests_passed, sales.tests_failed, sales.tests_warned) == (1, 1, 1)
    assert tallies["ops"].models_ok == 1
    assert [f.name for f in report.failures] == ["bad", "t"]
    assert not report.ok


def test_unit_tests_count_as_tests_by_their_status():
    report = BuildReport([outcome("unit_test", "pass"), outcome("unit_test", "fail", name="u"),
                          outcome("unit_test", "skipped"), outcome("model", "success")])
    sales = report.by_domain(Mesh(MANIFEST))["sales"]
    assert (sales.models_ok, sales.models_failed, sales.models_skipped) == (1, 0, 0)
    assert (sales.tests_passed, sales.tests_failed, sales.tests_skipped) == (1, 1, 1)
    assert [f.name for f in report.failures] == ["u"]


def test_a_report_without_failures_is_ok():
    report = BuildReport([outcome("model", "success"), outcome("test", "warn"), outcome("model", "skipped")])
    assert report.ok


def _event(name, **data):
    return SimpleNamespace(info=SimpleNamespace(name=name), data=SimpleNamespace(**data))


def test_progress_prints_one_whole_line_per_finished_node():
    lines = []
    printer = ProgressPrinter(Mesh(MANIFEST), lines.append)
    printer.phase("Building")
    printer(_event("LogStartLine", total=12))
    printer(_event("NodeFinished",
                   node_info=SimpleNamespace(unique_id="model.p.orders", node_name="orders", resource_type="model"),
                   run_result=SimpleNamespace(status="error", execution_time=0.5)))
    printer(_event("SQLQuery"))
    assert lines == ["Building ...", "[ 1/12] ERROR sales         model  orders (0.50s)"]
