"""Failed data tests show examples: one night on a copy of the reference mesh with two planted faults, a
duplicated advance (funding's staging key test fails) and two merchants sharing a planted e-mail address (a
unique test on a personal-data column fails). The reports and the owners' notes show the failing key and the
query to see every failing row, and no personal value, planted or not, in any file the nightly publishes."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from conftest import REPO, copy_with_parse_state, query
from fixture_manifests import manifest, model

from mesh_platform.catalog.generate import generate_catalog
from mesh_platform.cli import main
from mesh_platform.dbt_session import DbtSession
from mesh_platform.manifest import Mesh, load_manifest
from mesh_platform.manifest.pii import Leak, PiiFlow
from mesh_platform.nightly.failure_examples import FOUND_ROWS, Shown, personal_columns, shown_columns, with_examples
from mesh_platform.nightly.results import Item, NightlyRun
from mesh_platform.nightly.webhooks import payload
from mesh_platform.project import Project
from mesh_platform.warehouse import warehouse_columns

KEY_TEST = "unique_stg_disbursements__advances_advance_id"
PII_TEST = "unique_int_merchants_deduplicated_email"
PLANTED = {"director_name": "Ottoline Plantagenet-Leakcheck", "email": "ottoline@planted-leak.example",
           "phone": "+44 7700 000999"}
MERCHANTS = Path("seeds/merchants/crm__merchants.csv")
INTERMEDIATE = Path("models/merchants/intermediate/_merchants__intermediate.yml")


def plant(root: Path) -> None:
    """A second ADV00001, and two new merchants with the same planted director, e-mail and phone, whose e-mail
    the copy's int_merchants_deduplicated now tests for uniqueness."""
    advances = root / "seeds" / "funding" / "disbursements__advances.csv"
    advances.write_text(advances.read_text() + "ADV00001,A99999,D99999,M00004,2025-09-13 10:00:00,1000.00,1.10,0.10,"
                                               "PO-00000000\n")
    with (root / MERCHANTS).open("a", encoding="utf-8") as handle:
        for merchant in ("M09998", "M09999"):
            handle.write(f"{merchant},Planted Ltd,retail,Wales,2020-01-01,{PLANTED['director_name']},"
                         f"{PLANTED['email']},{PLANTED['phone']},2025-10-01 09:00:00\n")
    yml = root / INTERMEDIATE
    text = yml.read_text()
    email = "        description: Contact e-mail address. Personal data.\n        config: {meta: {pii: true}}\n"
    assert email in text
    yml.write_text(text.replace(email, email + "        data_tests: [unique]\n", 1))


@pytest.fixture(scope="module")
def night(built_mesh, tmp_path_factory) -> tuple[Path, Path, NightlyRun]:
    """The planted night: the project, its run's folder, and the run as its summary.json says."""
    root = tmp_path_factory.mktemp("failures") / "mesh"
    copy_with_parse_state(built_mesh[0], root)
    plant(root)
    assert main(["nightly", "--quiet", "--project-dir", str(root), "--notify-dir", str(root / "notes")]) == 1
    folder = root / "target" / "nightly" / (root / "target" / "nightly" / "LATEST").read_text().strip()
    return root, folder, NightlyRun.from_dict(json.loads((folder / "summary.json").read_text()))


def failed_test(run: NightlyRun, domain: str, name: str):
    return next(item for item in run.domains[domain].items if item.kind == "test" and item.name == name)


def test_a_failed_test_shows_the_failing_key_and_the_query_in_the_report_and_the_note(night):
    root, folder, run = night
    item = failed_test(run, "funding", KEY_TEST)
    assert item.status == "failed" and item.message == "Got 1 result, configured to fail if != 0"
    relation = f'"mesh"."funding_audit"."{KEY_TEST}"'
    assert item.details == ("failing rows (1 of 1): unique_field=ADV00001, n_records=2",
                            f"all of them, for the domain's eyes: `select * from {relation}`")
    assert query(root, f"select * from {relation}") == [("ADV00001", 2)]  # the query shows them all
    shown = f"  - failing rows (1 of 1): unique_field=ADV00001, n_records=2\n  - all of them, for the domain's eyes: " \
            f"`select * from {relation}`\n"
    assert f"test `{KEY_TEST}` failed" in (folder / "summary.md").read_text()
    assert shown in (folder / "summary.md").read_text() and shown in (root / "notes" / "funding.md").read_text()
    assert "unique_field=ADV00001" in (folder / "junit.xml").read_text()


def test_a_failed_test_on_personal_data_withholds_its_values(night):
    root, _, run = night
    item = failed_test(run, "merchants", PII_TEST)
    assert item.status == "failed"
    assert item.details[:2] == ("failing rows (1 of 1): n_records=2",
                                "values withheld (personal data, which stays in its domain): unique_field")
    # the values are there, for the domain: in its own audit schema
    assert query(root, f'select unique_field from "merchants_audit"."{PII_TEST}"') == [(PLANTED["email"],)]
    # and it is the lineage that withholds them: without its flags the e-mail column would be shown
    compiled = Mesh(load_manifest(root / "target" / "manifest.json"))
    sql = next(node.compiled_code for node in compiled.nodes.values() if node.name == PII_TEST)
    schema = warehouse_columns(Project(root))
    assert shown_columns(sql, "duckdb", schema, set(), ["unique_field", "n_records"], []) == \
        Shown(("unique_field", "n_records"), ())


def test_a_test_that_could_not_run_gets_no_examples():
    errored = [("funding", Item("test", "test.mesh.t", "t", "failed", "Runtime Error in test t: no such table"))]
    assert with_examples(None, errored) == errored  # its table may hold an earlier night's rows: never read
    assert FOUND_ROWS.match("Got 1 result, configured to fail if != 0")
    assert FOUND_ROWS.match("Got 12 results, configured to warn if != 0")


def test_what_the_lineage_could_not_follow_counts_as_personal():
    flow = PiiFlow(pii={"model.p.people": {"email": Leak("email", ())}},
                   unresolved={"model.p.unread": ["a `*` over a relation of unknown columns"]})
    mesh = Mesh(manifest(model("people", "hr"), model("unread", "hr"), model("teams", "hr")))
    schema = {"hr.people": {"email": "varchar", "id": "varchar"}, "hr.unread": {"x": "varchar"},
              "hr.teams": {"team": "varchar"}}
    assert personal_columns(flow, mesh, schema) == {("hr.people", "email"), ("hr.unread", "x")}


def test_a_column_the_lineage_cannot_follow_is_withheld():
    schema = {"s.people": {"email": "varchar", "id": "varchar"}}
    personal = {("s.people", "email")}
    renamed = "select email as contact, id, count(*) as n from s.people group by all"
    assert shown_columns(renamed, "duckdb", schema, personal, ["contact", "id", "n"], ["id"]) == \
        Shown(("id", "n"), ("contact",))
    assert shown_columns("select * from s.unknown", "duckdb", schema, personal, ["a"], []) == Shown((), ("a",))
    assert shown_columns("select from where", "duckdb", schema, personal, ["a", "b"], []) == Shown((), ("a", "b"))


def test_no_personal_value_occurs_in_any_file_the_nightly_publishes(night, tmp_path):
    root, folder, run = night
    with (REPO / MERCHANTS).open(encoding="utf-8") as handle:
        personal = {row[column] for row in csv.DictReader(handle) for column in PLANTED if row[column]}
    personal |= set(PLANTED.values())
    catalog = tmp_path / "catalog"  # its nightly page shows the examples too
    generate_catalog(DbtSession(Project(root)).mesh(), Project(root), None, catalog)
    assert "unique_field=ADV00001" in (catalog / "nightly.html").read_text()
    published = [path for path in (*folder.rglob("*"), *(root / "notes").iterdir(), *catalog.rglob("*"))
                 if path.is_file() and path.suffix in (".json", ".md", ".xml", ".html", ".js", ".svg", ".yaml")]
    assert {path.name for path in published} >= {"summary.json", "summary.md", "junit.xml", "merchants.md",
                                                   "nightly.html"}
    texts = {str(path): path.read_text(encoding="utf-8", errors="replace") for path in published}
    texts["webhook"] = json.dumps(payload(run, "merchants", str(folder)))  # what a webhook would be sent
    assert PII_TEST in texts["webhook"] and PII_TEST in texts[str(root / "notes" / "merchants.md")]
    leaks = {name: [value for value in personal if value in text] for name, text in texts.items()}
    assert {name: found for name, found in leaks.items() if found} == {}
