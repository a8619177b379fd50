"""`mesh nightly --only-new`: after a night, only what new data or changed code reaches is built (dbt's
source_status:fresher+ and state:modified+ against that night's artifacts), and again what failed there; the rest
keeps that night's results."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest
from conftest import WAREHOUSE, copy_project

from mesh_platform.cli import main

pytestmark = pytest.mark.integration
TAKINGS = Path("seeds/partners/takings_feed__daily_takings.csv")
LAST_DAY = "2025-12-31"
# a test that reads nothing, so no new data reaches it: it fails while the variable says so
PLANTED = Path("tests/collections/assert_planted_failure_cleared.sql")
PLANTED_SQL = ("-- noqa: disable=all\n"
               "select 1 as planted where '{{ env_var(\"MESH_PLANTED_FAILURE\", \"no\") }}' = 'yes'\n")


def nightly(root: Path, *args: str) -> int:
    return main(["nightly", "--quiet", "--project-dir", str(root), *args])


def last_run(root: Path) -> dict:
    run_id = (root / "target/nightly/LATEST").read_text().strip()
    return json.loads((root / "target/nightly" / run_id / "summary.json").read_text())



@pytest.fixture(scope="module")
def nights(tmp_path_factory) -> dict:
    """A night with the takings feed's last day not yet arrived and a planted test failing, then `--only-new`
    after the day arrives and the planted failure is cleared, then `--only-new` with nothing new. (No shared
    parse state: dbt keeps a seed over 1 MiB by its path, so a copy given another project's state would load
    that project's file.)"""
    root = copy_project(tmp_path_factory.mktemp("only-new") / "mesh")
    (root / PLANTED).write_text(PLANTED_SQL)
    feed = root / TAKINGS
    full = feed.read_text()
    feed.write_text("".join(line for line in full.splitlines(keepends=True) if f",{LAST_DAY}," not in line))
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("MESH_PLANTED_FAILURE", "yes")
        found = {"first": (nightly(root), last_run(root))}
    held_back = newest_takings(root)
    feed.write_text(full)
    found["a new day"] = (nightly(root, "--only-new"), last_run(root))
    found["newest takings"] = (LAST_DAY[:4], held_back, newest_takings(root))
    found["nothing new"] = (nightly(root, "--only-new"), last_run(root))
    return found


def planted(summary: dict) -> str:
    return next(item["status"] for item in summary["domains"]["collections"]["items"]
                if item["key"].endswith("assert_planted_failure_cleared"))


def newest_takings(root: Path) -> str:
    """The newest day of the partners' takings product."""
    with duckdb.connect(str(root / WAREHOUSE), read_only=True) as connection:
        return str(connection.sql("select max(takings_date) from partners.merchant_daily_takings_v1").fetchone()[0])


def test_a_night_with_nothing_new_builds_nothing_and_keeps_the_last_results(nights):
    code, summary = nights["nothing new"]
    assert code == 0 and summary["status"] == "passed"
    build = next(step for step in summary["steps"] if step["name"] == "build")
    assert build["detail"].startswith("0 node(s): new or reached by new data since")
    assert all(d["status"] == "passed" for d in summary["domains"].values())
    first = nights["first"][1]
    assert sum(d["counts"]["model"].get("passed", 0) for d in summary["domains"].values()) == \
        sum(d["counts"]["model"].get("passed", 0) for d in first["domains"].values())
    assert any(item["kind"] == "quality" and item["status"] == "passed"
               for item in summary["domains"]["partners"]["items"])


def test_a_new_day_of_takings_builds_what_it_reaches_only_and_what_failed_the_night_before(nights):
    assert nights["first"][0] == 1 and planted(nights["first"][1]) == "failed"
    code, summary = nights["a new day"]
    assert code == 0 and summary["status"] == "passed", summary["steps"]
    assert planted(summary) == "passed"  # run again: no new data reaches it, it failed the night before
    build = next(step for step in summary["steps"] if step["name"] == "build")
    ran = int(build["detail"].split()[0])
    first_build = next(step for step in nights["first"][1]["steps"] if step["name"] == "build")
    assert 0 < ran < int(first_build["detail"].split()[0])
    assert nights["newest takings"] == (LAST_DAY[:4], "2025-12-30", LAST_DAY)  # before, held back, after


def test_only_new_needs_an_earlier_night_and_goes_alone(project_copy, capsys):
    assert nightly(project_copy, "--only-new") == 2
    assert "needs an earlier night" in capsys.readouterr().err
    assert nightly(project_copy, "--only-new", "--full-refresh") == 2
    assert "does not go with" in capsys.readouterr().err
