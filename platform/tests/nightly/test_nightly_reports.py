"""The nightly reports on a hand-made run: junit.xml, summary.md, summary.json and the notes to owners;
and how dbt's outcomes become items (a failure names what it skipped)."""

import json
import xml.etree.ElementTree as ET

from fixture_manifests import data_test, manifest, model

from mesh_platform.build import BuildReport, NodeOutcome
from mesh_platform.manifest import Mesh
from mesh_platform.nightly.reports import write_reports
from mesh_platform.nightly.results import DomainResult, Item, NightlyRun, Step
from mesh_platform.nightly.steps import dbt_items, descendants
from mesh_platform.project import Project


def a_failed_night() -> NightlyRun:
    run = NightlyRun("20261123T010000Z", "2026-11-23T01:00:00+00:00", "duckdb", finished_at="2026-11-23T01:00:30",
                     wall_seconds=30.0, dbt_parses=1, steps=[Step("seed", "ok", 4.0), Step("build", "failed", 5.0)])
    run.domains["sales"] = DomainResult("sales", "Sales", "sales@x.example", "@x/sales", [
        Item("model", "model.p.orders", "orders.v1", "failed", "Conversion Error: 'oops'",
             "models/sales/marts/orders.sql", 0.2, ("model report.v1 (ops)", "test unique_report (ops)")),
        Item("test", "test.p.unique_orders", "unique_orders", "skipped", "skipped: model orders.v1 (sales) failed"),
        Item("lint", "models/sales/marts/orders.sql", "models/sales/marts/orders.sql", "passed"),
    ])
    run.domains["ops"] = DomainResult("ops", "Ops", "ops@x.example", "@x/ops", [
        Item("model", "model.p.report", "report.v1", "skipped", "skipped: model orders.v1 (sales) failed"),
        Item("quality", "report#skipped", "report", "skipped", "not validated: its model did not build"),
    ])
    run.domains["hr"] = DomainResult("hr", "HR", "hr@x.example", "@x/hr", [
        Item("model", "model.p.staff", "staff", "passed", seconds=0.1),
        Item("check", "PRD004:model.p.staff", "PRD004 staff", "warned", "no SLA declared"),
        Item("quality", "staff#1", "staff: expect_table_row_count_to_be_between(min_value=1)", "passed"),
    ])
    return run


def test_the_reports_name_the_failing_domain_its_owner_and_what_it_skipped(tmp_path):
    run = a_failed_night()
    project = Project(tmp_path)
    folder = tmp_path / "target" / "nightly" / run.run_id
    written = write_reports(run, folder, project, notify_dir=tmp_path / "notes")

    # the blocked domain's owner hears too: what is held up and by whom
    assert sorted(path.name for path in written) == ["junit.xml", "ops.md", "sales.md", "summary.json", "summary.md"]
    assert run.status == "failed" and run.exit_code == 1
    assert {name: d.status for name, d in run.domains.items()} == {"sales": "failed", "ops": "blocked",
                                                                   "hr": "passed"}
    suites = {suite.get("name"): suite for suite in ET.parse(folder / "junit.xml").getroot()}
    assert list(suites) == ["sales", "ops", "hr"]
    assert (suites["sales"].get("failures"), suites["sales"].get("skipped")) == ("1", "1")
    failure = suites["sales"].find("testcase[@name='orders.v1']/failure")
    assert failure.get("message") == "Conversion Error: 'oops'" and "model report.v1 (ops)" in failure.text
    assert suites["ops"].get("skipped") == "2" and suites["hr"].get("failures") == "0"
    assert suites["sales"].find("properties/property").get("value") == "Sales <sales@x.example> @x/sales"

    markdown = (folder / "summary.md").read_text()
    assert markdown.startswith("## mesh nightly 20261123T010000Z: FAILED")
    assert "1 of 3 domains failed, 1 blocked by failures upstream" in markdown
    assert "### sales: failed · Sales <sales@x.example> @x/sales" in markdown
    assert "model `orders.v1` failed (`models/sales/marts/orders.sql`): Conversion Error" in markdown
    assert "skipped because of it: report.v1 (ops); 1 test(s) or other node(s)" in markdown
    assert "### ops: blocked" in markdown and "### hr" not in markdown

    note = (tmp_path / "notes" / "sales.md").read_text()
    assert note.startswith("To: Sales <sales@x.example> @x/sales\nSubject: mesh nightly 20261123T010000Z: sales failed")
    assert "`models/sales/marts/orders.sql`" in note and "mesh nightly --resume" in note
    assert f"target/nightly/{run.run_id}/summary.json" in note
    blocked = (tmp_path / "notes" / "ops.md").read_text()
    assert blocked.startswith("To: Ops <ops@x.example> @x/ops\nSubject: mesh nightly 20261123T010000Z: ops blocked")
    assert "skipped (2), because something upstream failed: model report.v1" in blocked
    assert not (tmp_path / "notes" / "hr.md").exists()  # passed, and nothing upstream of it failed


def test_the_summary_reads_back_as_the_same_run(tmp_path):
    run = a_failed_night()
    write_reports(run, tmp_path, Project(tmp_path))
    again = NightlyRun.from_dict(json.loads((tmp_path / "summary.json").read_text()))
    assert again == run
    assert json.loads((tmp_path / "summary.json").read_text())["domains"]["sales"]["counts"]["model"] == {"failed": 1}


def test_a_clean_night_passes_and_writes_no_notes(tmp_path):
    run = a_failed_night()
    del run.domains["sales"], run.domains["ops"]
    written = write_reports(run, tmp_path / "run", Project(tmp_path), notify_dir=tmp_path / "notes")
    assert run.status == "passed" and run.exit_code == 0
    assert not (tmp_path / "notes").exists() and len(written) == 3
    assert ET.parse(tmp_path / "run" / "junit.xml").getroot().get("failures") == "0"


def test_a_step_that_could_not_run_fails_the_night_and_shows_in_junit(tmp_path):
    run = a_failed_night()
    del run.domains["sales"], run.domains["ops"]
    run.steps.append(Step("quality", "error", 0.1, "no warehouse at warehouse/mesh.duckdb"))
    write_reports(run, tmp_path, Project(tmp_path))
    assert run.status == "failed"
    root = ET.parse(tmp_path / "junit.xml").getroot()
    assert root.get("errors") == "1" and root.find("testsuite/testcase/error").get("message").startswith("no warehouse")
    assert "**quality could not run**: no warehouse" in (tmp_path / "summary.md").read_text()


def outcome(unique_id: str, status: str, domain: str) -> NodeOutcome:
    name = unique_id.split(".")[2]
    return NodeOutcome(unique_id, name, unique_id.split(".")[0], domain, status, "boom" if status == "error" else "",
                       f"models/{domain}/{name}.sql")


def small_mesh() -> Mesh:
    raw = manifest(model("stg_orders", "sales", "staging"), model("orders", "sales", parents=["model.p.stg_orders"]),
                   model("report", "ops", parents=["model.p.orders"]), model("staff", "hr"),
                   data_test("unique_orders", "unique", "model.p.orders", "id"), groups=("sales", "ops", "hr"))
    return Mesh(raw)


def test_a_failed_model_or_test_skips_the_descendants_dbt_skips():
    graph = small_mesh()
    assert descendants(graph, "model.p.stg_orders") == {"model.p.orders", "model.p.report", "test.p.unique_orders"}
    assert descendants(graph, "test.p.unique_orders") == {"model.p.report"}  # its model's children, not the model
    assert descendants(graph, "model.p.staff") == set()


def test_dbt_outcomes_become_items_that_name_the_failure_and_what_it_skipped():
    report = BuildReport([outcome("model.p.stg_orders", "success", "sales"),
                          outcome("model.p.orders", "error", "sales"),
                          outcome("test.p.unique_orders", "skipped", "sales"),
                          outcome("model.p.report", "skipped", "ops"), outcome("model.p.staff", "success", "hr")])
    items = {item.key: (domain, item) for domain, item in dbt_items(report, small_mesh())}
    domain, failed = items["model.p.orders"]
    assert (domain, failed.status, failed.message) == ("sales", "failed", "boom")
    assert failed.related == ("model report (ops)", "test unique_orders (sales)")
    skipped = items["model.p.report"][1]
    assert skipped.status == "skipped" and skipped.related == ("model orders (sales)",)
    assert skipped.message == "skipped: model orders (sales) failed"
    assert items["model.p.staff"][1].status == "passed" and items["test.p.unique_orders"][1].kind == "test"


def test_a_later_night_clears_the_notes_of_domains_with_nothing_to_hear(tmp_path):
    notes = tmp_path / "notes"
    run = a_failed_night()
    write_reports(run, tmp_path / "first", Project(tmp_path), notify_dir=notes)
    (notes / "hr.md").write_text("my own notes about hr\n")  # not the nightly's: never touched
    for domain in run.domains.values():  # the next night passes everywhere
        domain.items = [item for item in domain.items if item.status == "passed"]
    write_reports(run, tmp_path / "second", Project(tmp_path), notify_dir=notes)
    assert sorted(path.name for path in notes.iterdir()) == ["hr.md"]


def test_a_domain_whose_models_built_but_a_test_was_held_up_is_not_blocked(tmp_path):
    run = a_failed_night()
    run.domains["hr"].items.append(
        Item("test", "test.p.relationships_staff_team", "relationships_staff_team", "skipped",
             "skipped: model orders.v1 (sales) failed"))
    assert {name: d.status for name, d in run.domains.items()} == {"sales": "failed", "ops": "blocked",
                                                                   "hr": "held up"}
    write_reports(run, tmp_path, Project(tmp_path), notify_dir=tmp_path / "notes")
    assert "1 of 3 domains failed, 1 blocked by failures upstream, 1 with tests held up by failures upstream" in \
        (tmp_path / "summary.md").read_text()
    note = (tmp_path / "notes" / "hr.md").read_text()
    assert "Subject: mesh nightly 20261123T010000Z: hr held up" in note
    assert "skipped (1), because something upstream failed: test relationships_staff_team" in note
