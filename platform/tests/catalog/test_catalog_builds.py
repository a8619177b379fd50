"""The catalog's record of the builds: the nightly's reports first, else the last `mesh build`'s; never whichever
dbt command wrote target/run_results.json last."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from catalog_browser import broken_links, page_text, table_rows
from small_catalog import NOW, small_catalog, small_mesh, small_project

from mesh_platform.build import BUILD_RECORD
from mesh_platform.catalog.builds import BuildRecord, freshness, last_successful_builds, read_builds
from mesh_platform.catalog.facts import CatalogIndex, collect_products
from mesh_platform.catalog.site import tone_of, write_site
from mesh_platform.nightly.results import DomainResult, Item, NightlyRun, Step

ORDERS = "model.p.orders.v1"


def run_results(path: Path, which: str, *results) -> Path:
    """dbt's run_results.json as `dbt <which>` writes it: (unique id, status, when it finished)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"args": {"which": which}, "results": [
        {"unique_id": uid, "status": status, "message": "Runtime Error: no_such_column" if status == "error" else "OK",
         "timing": [{"name": "execute", "completed_at": when.isoformat() if isinstance(when, dt.datetime) else when}]}
        for uid, status, when in results]}))
    return path


def night(root: Path, hours_ago: float, orders: str = "success", quality: str = "passed") -> str:
    """A finished nightly run `hours_ago` before NOW, in which orders' model ended `orders` (dbt's status) and its
    suite `quality` (passed, failed or skipped); it becomes the latest run."""
    started = NOW - dt.timedelta(hours=hours_ago)
    run_id = started.strftime("%Y%m%dT%H%M%SZ")
    folder = root / "target" / "nightly" / run_id
    status = {"success": "passed", "skipped": "skipped"}.get(orders, "failed")
    items = [Item("model", ORDERS, "orders.v1", status, "Runtime Error: no_such_column" if status == "failed" else
                  "OK", "models/sales/marts/orders.sql"),
             Item("quality", "orders#skipped" if quality == "skipped" else "orders#1", "orders", quality,
                  "not validated: its model did not build in this run" if quality == "skipped" else "")]
    run = NightlyRun(run_id, started.isoformat(), "duckdb", finished_at=(started + dt.timedelta(minutes=5)).isoformat(),
                     steps=[Step("build", "ok" if status == "passed" else "failed", 60.0)],
                     domains={"sales": DomainResult("sales", "Sales", "s@x.example", "@x/sales", items)})
    folder.mkdir(parents=True)
    (folder / "summary.json").write_text(json.dumps(run.to_dict()))
    run_results(folder / "dbt" / "run_results.json", "build", (ORDERS, orders, started + dt.timedelta(minutes=2)))
    (root / "target" / "nightly" / "LATEST").write_text(run_id + "\n")
    return run_id


def quality_history(database: Path, hours_ago: float) -> None:
    """One passing run of orders' suite in mesh_quality.history."""
    from mesh_platform.quality.runner import Outcome, QualityRun, record_history
    from mesh_platform.quality.suites import ExpectationSpec

    spec = ExpectationSpec("expect_column_values_to_not_be_null", {"column": "order_id"})
    when = (NOW - dt.timedelta(hours=hours_ago)).replace(tzinfo=None)
    record_history(database, QualityRun("q-good", when, [Outcome("sales", "orders", "@x/sales", spec, True,
                                                                  "0 of 3 rows", 0)]))


def products():
    return list(collect_products(CatalogIndex(small_mesh())).values())


def orders_freshness(root: Path):
    product = next(p for p in products() if p.name == "orders")
    return freshness(product, read_builds(small_project(root), products()), NOW)


def test_a_failed_night_shows_the_product_failed_and_not_validated(tmp_path):
    root = tmp_path / "mesh"
    database = tmp_path / "warehouse.duckdb"
    night(root, 20)  # a good night, within the product's SLA of 24 h
    quality_history(database, 20)
    failed = night(root, 2, orders="error", quality="skipped")
    write_site(small_catalog(root, database=database), {}, tmp_path / "site")
    page = tmp_path / "site" / "products" / "orders.html"
    text = page_text(page)
    assert "failed in its last build (nightly " + failed + "): Runtime Error: no_such_column" in text
    assert "its data is from 2026-11-22 16:02 UTC, 20 h ago" in text
    assert f"Qualityskipped not validated: its model did not build in this run (nightly {failed})" in text
    listed = next(row for row in table_rows(tmp_path / "site" / "products.html") if row[0] == "orders")
    assert listed[-2:] == ["failed", "skipped"]  # freshness, quality: not "fresh", "passed"
    night_page = page_text(tmp_path / "site" / "nightly.html")
    assert f"Nightly run {failed} failed" in night_page and "model orders.v1 failed" in night_page
    assert "nightly.html#domain-sales" in (tmp_path / "site" / "domains" / "sales.html").read_text()
    assert broken_links(tmp_path / "site") == []


@pytest.mark.parametrize("recorded_by", ["nightly", "mesh build"])
def test_a_compile_after_a_good_night_or_build_leaves_the_product_fresh(tmp_path, recorded_by):
    root = tmp_path / "mesh"
    if recorded_by == "nightly":
        night(root, 3)
    else:
        run_results(root / "target" / BUILD_RECORD, "build", (ORDERS, "success", NOW - dt.timedelta(hours=3)))
    run_results(root / "target" / "run_results.json", "compile", (ORDERS, "success", NOW))  # `mesh check`'s compile
    fresh = orders_freshness(root)
    assert fresh.status == "fresh" and "3 h ago" in fresh.detail and recorded_by in fresh.detail
    write_site(small_catalog(root), {}, tmp_path / "site")
    listed = next(row for row in table_rows(tmp_path / "site" / "products.html") if row[0] == "orders")
    assert listed[-2] == "fresh"


def test_without_a_record_freshness_says_what_to_run(tmp_path):
    root = tmp_path / "mesh"
    run_results(root / "target" / "run_results.json", "build", (ORDERS, "success", NOW))  # dbt's own: not the record
    fresh = orders_freshness(root)
    assert fresh == type(fresh)("unknown", "no build recorded: run `mesh nightly` (or `mesh build`)")


def test_a_night_that_did_not_finish_leaves_the_last_finished_one_shown(tmp_path):
    root = tmp_path / "mesh"
    finished = night(root, 5)
    unfinished = (NOW - dt.timedelta(hours=1)).strftime("%Y%m%dT%H%M%SZ")
    (root / "target" / "nightly" / unfinished).mkdir()
    (root / "target" / "nightly" / "LATEST").write_text(unfinished + "\n")
    record = read_builds(small_project(root), products())
    assert record.nightly is not None and record.nightly.run_id == finished
    assert record.notes == [f"the nightly run {unfinished} did not finish (no summary.json); showing {finished}, "
                            f"the last one that did"]
    assert record.last[ORDERS].status == "passed"


def test_the_last_successful_build_counts_only_builds_that_succeeded(tmp_path):
    built = last_successful_builds([
        run_results(tmp_path / "a.json", "build", ("model.p.a", "success", "2026-11-22T02:00:00Z"),
                    ("model.p.b", "success", "2026-11-21T02:00:00Z")),
        run_results(tmp_path / "b.json", "build", ("model.p.a", "error", "2026-11-23T02:00:00Z"),
                    ("model.p.b", "success", "2026-11-23T02:00:00.5Z")),
        run_results(tmp_path / "c.json", "compile", ("model.p.a", "success", "2026-11-23T09:00:00Z")),
        tmp_path / "missing.json"])
    assert built == {"model.p.a": dt.datetime(2026, 11, 22, 2, tzinfo=dt.UTC),
                     "model.p.b": dt.datetime(2026, 11, 23, 2, 0, 0, 500000, tzinfo=dt.UTC)}


def test_freshness_is_judged_against_the_sla():
    orders = next(p for p in products() if p.name == "orders")

    def built(hours: float) -> BuildRecord:
        return BuildRecord("mesh build", succeeded={ORDERS: NOW - dt.timedelta(hours=hours)})

    assert freshness(orders, built(3), NOW).status == "fresh"
    stale = freshness(orders, built(30), NOW)
    assert stale.status == "stale" and "30 h ago (mesh build); the SLA allows 24 h" in stale.detail
    assert freshness(orders, BuildRecord("mesh build"), NOW).status == "unknown"
    assert [tone_of(s) for s in ("fresh", "stale", "failed", "blocked", "unknown", "decommissioning")] == [
        "ok", "bad", "bad", "warn", "neutral", "warn"]
