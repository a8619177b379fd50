"""`mesh catalog` and `mesh report` on the reference mesh built with real dbt, checked in a real Chromium.

One copy of the built mesh gets a nightly's run results (freshness) and two quality runs, the newest failing
(quality history); the catalog is generated once and every browser check runs on it in one Chromium session.
Each check is also run on a page made to break it, to prove it can fail.
"""

from __future__ import annotations

import csv
import datetime as dt
import shutil
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest
from catalog_browser import (
    accessibility_problems,
    blank_screenshot,
    broken_links,
    console_errors,
    hover_all,
    lineage_problems,
    markup_problems,
    open_page,
    overflow_problems,
    start_chromium,
)
from conftest import REPO, WAREHOUSE, query
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait
from small_catalog import HOSTILE, small_catalog

from mesh_platform.build import BuildReport, record_build
from mesh_platform.catalog import CONTENT_SECURITY_POLICY, FILE_POLICY
from mesh_platform.catalog.builds import freshness, read_builds
from mesh_platform.catalog.facts import CatalogIndex, collect_products
from mesh_platform.catalog.generate import generate_catalog, generate_reports
from mesh_platform.catalog.site import write_site
from mesh_platform.cli import main
from mesh_platform.dbt_session import DbtSession
from mesh_platform.errors import MeshError
from mesh_platform.nightly.runs import write_dbt_state
from mesh_platform.project import Project

pytestmark = pytest.mark.integration

SCREENSHOTS = REPO / "target" / "catalog-screenshots"
NIGHTLY_RUN = "20261123T020000Z"
PAGE_LIMIT = 2 * 1024 * 1024
SLA_LATE = dt.datetime(2026, 1, 3, 6)


def record_quality_runs(root: Path) -> None:
    """Two runs of advances' suite in mesh_quality.history, the newest with factor_rate out of range."""
    from mesh_platform.quality.runner import Outcome, QualityRun, record_history
    from mesh_platform.quality.suites import ExpectationSpec

    key = ExpectationSpec("expect_column_values_to_not_be_null", {"column": "advance_id"})
    rate = ExpectationSpec("expect_column_values_to_be_between", {"column": "factor_rate", "min_value": 1.0,
                                                                    "max_value": 1.2})
    runs = [("run-older", dt.datetime(2026, 11, 22, 2), [(key, True, "0 of 152 rows", 0), (rate, True, "", 0)]),
            ("run-newer", dt.datetime(2026, 11, 23, 2), [(key, True, "0 of 152 rows", 0),
                                                          (rate, False, "2 of 152 rows; e.g. 1.24", 2)])]
    for run_id, run_at, outcomes in runs:
        record_history(root / WAREHOUSE, QualityRun(run_id, run_at, [
            Outcome("funding", "advances", "@lender/funding", spec, ok, observed, failing)
            for spec, ok, observed, failing in outcomes]))


@pytest.fixture(scope="module")
def mesh(built_mesh, tmp_path_factory) -> Path:
    """A copy of the built mesh with the build's run results kept as a nightly's (its report in `site`) and a
    quality history."""
    root = tmp_path_factory.mktemp("catalog") / "mesh"
    shutil.copytree(built_mesh[0], root, ignore=shutil.ignore_patterns("target", "logs"))
    write_dbt_state(Project(root), NIGHTLY_RUN, built_mesh[1].dbt_results, None)
    record_quality_runs(root)
    return root


@pytest.fixture(scope="module")
def manifest(mesh):
    return DbtSession(Project(mesh)).mesh()


def record_night(root: Path, built, manifest) -> None:
    """The nightly's report of the build: its summary.json, as `mesh nightly` writes it."""
    from mesh_platform.nightly.reports import write_reports
    from mesh_platform.nightly.results import DomainResult, NightlyRun, Step
    from mesh_platform.nightly.steps import dbt_items

    run = NightlyRun(NIGHTLY_RUN, "2026-11-23T02:00:00+00:00", "duckdb", finished_at="2026-11-23T02:04:00+00:00",
                     wall_seconds=240.0, steps=[Step("seed and build", "ok", 200.0)])
    for name, domain in manifest.domains.items():
        run.domains[name] = DomainResult(name, domain.owner_name, domain.owner_email, domain.team_handle)
    for name, item in dbt_items(built, manifest):
        run.domains[name].items.append(item)
    write_reports(run, root / "target" / "nightly" / NIGHTLY_RUN, Project(root))
    (root / "target" / "nightly" / "LATEST").write_text(NIGHTLY_RUN + "\n")


def record_sla_nights(root: Path, manifest) -> None:
    """Two nights of SLA measures: one at the end of the as-of day (every product met its SLA), one three days on
    (the products with a day column and an SLA of hours are late)."""
    from mesh_platform.nightly.sla import measure_slas

    built = {node.unique_id for node in manifest.latest_products().values()}
    for run_id, clock in (("sla-night-1", dt.datetime(2025, 12, 31, 23, 59)), ("sla-night-2", SLA_LATE)):
        measure_slas(manifest, root / WAREHOUSE, run_id, clock, built)


@pytest.fixture(scope="module")
def site(built_mesh, mesh, manifest) -> tuple[Path, object]:
    record_night(mesh, built_mesh[1], manifest)
    record_sla_nights(mesh, manifest)
    output = mesh / "target" / "catalog"
    return output, generate_catalog(manifest, Project(mesh), None, output)


@pytest.fixture(scope="module")
def browser():
    driver = start_chromium()
    yield driver
    driver.quit()


def test_the_catalog_has_every_page_and_no_big_file(site):  # its speed: bench/catalog_scale.py
    output, generated = site
    pages = {str(path.relative_to(output)) for path in output.rglob("*.html")}
    assert {"index.html", "domains.html", "products.html", "lineage.html", "reports.html"} <= pages
    assert {f"domains/{d}.html" for d in ("partners", "merchants", "underwriting", "funding", "collections", "legacy",
                                          "analytics")} <= pages
    assert len([p for p in pages if p.startswith("products/")]) == len(generated.catalog.products) == 16
    assert {p for p in pages if p.startswith("reports/")} == {
        f"reports/{name}.html" for name in ("portfolio_performance_by_cohort", "repayment_curves_by_cohort",
                                            "conversion_funnel", "partner_performance_overview")}
    assert all((output / "reports" / f"{name}.svg").stat().st_size > 5000 for name in generated.reports)
    largest = max(output.rglob("*"), key=lambda path: path.stat().st_size)
    assert largest.stat().st_size <= PAGE_LIMIT, largest


def test_each_product_has_its_odcs_contract_to_download(site):
    from mesh_platform.contracts.validation import load_contract

    output, generated = site
    assert generated.catalog.contract_errors == {}
    contract = load_contract(output / "products" / "advances.odcs.yaml", "advances.odcs.yaml")  # valid ODCS v3
    assert contract.name == "advances" and contract.domain == "funding"
    assert [p.name for p in contract.schema_[0].properties][:2] == ["advance_id", "application_id"]
    assert 'href="advances.odcs.yaml" download' in (output / "products" / "advances.html").read_text()


def test_personal_data_never_appears_unmasked(mesh, site):
    output, _ = site
    with (REPO / "seeds" / "merchants" / "crm__merchants.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    personal = {row[column] for row in rows for column in ("director_name", "email", "phone") if row[column]}
    assert len(personal) > 100
    text = "\n".join(path.read_text(encoding="utf-8", errors="replace") for path in output.rglob("*")
                     if path.suffix in (".html", ".js", ".yaml", ".svg"))
    assert not [value for value in personal if value in text]
    masked = query(mesh, "select email_hash from merchants.merchants_v1 where email_hash is not null limit 1")[0][0]
    page = (output / "products" / "merchants.html").read_text()
    assert masked[:20] in page and "PII, masked" in page  # the sample shows the published digests


def test_every_internal_link_resolves(site):
    output, _ = site
    assert broken_links(output) == []


def test_no_page_holds_an_inline_script_style_or_handler_and_each_has_the_policy(site):
    output, _ = site
    assert markup_problems(output, CONTENT_SECURITY_POLICY) == {}


def test_the_link_check_finds_a_broken_link(tmp_path):
    (tmp_path / "a.html").write_text('<a href="b.html#here">b</a> <a href="missing.html">x</a> '
                                     '<img src="gone.png" alt=""> <a href="mailto:x@y.example">mail</a>')
    (tmp_path / "b.html").write_text('<h1 id="elsewhere">b</h1>')
    assert broken_links(tmp_path) == ["a.html: b.html#here (no id here)", "a.html: missing.html (no such file)",
                                      "a.html: gone.png (no such file)"]


def test_pages_load_without_console_errors_meet_basic_accessibility_and_lay_out_cleanly(site, browser):
    output, _ = site
    found = {}
    browser.set_window_size(1280, 1000)  # a laptop's width: every table fits
    for page in sorted(output.rglob("*.html")):
        problems = (open_page(browser, page) + accessibility_problems(browser) + lineage_problems(browser)
                    + overflow_problems(browser))
        if problems:
            found[str(page.relative_to(output))] = problems
    assert found == {}


def test_the_browser_checks_fail_on_a_broken_page(tmp_path, browser):
    page = tmp_path / "broken.html"
    page.write_text("""<!DOCTYPE html><html><head><title>broken</title></head><body>
        <h1>One</h1><h3>Skipped a level</h3><h1>Two</h1>
        <p style="color: #bbbbbb; background: #ffffff">faint text</p>
        <input id="q"><img src="x.png"><table><tr><td>no header</td></tr></table>
        <div style="width: 300px"><table><tr><th>too</th><td style="min-width: 400px">wide</td></tr></table></div>
        <svg class="lineage" aria-hidden="true" viewBox="0 0 700 100" width="700" height="100">
        <path class="edge" d="M210,30 L490,30" data-from="a" data-to="c"/><path class="edge" d="M210,40 L250,80"
        data-from="a" data-to="b"/><a class="node" data-domain="a"><rect x="10" y="10" width="200" height="54"/></a>
        <a class="node" data-domain="b"><rect x="250" y="10" width="200" height="54"/></a>
        <a class="node" data-domain="c"><rect x="490" y="10" width="200" height="54"/></a></svg>
        <script>undefinedFunction();</script></body></html>""")
    errors = open_page(browser, page)
    assert any("undefinedFunction" in error for error in errors)
    problems = " | ".join(accessibility_problems(browser))
    for expected in ("no lang attribute", "2 h1 headings", "H3 \"Skipped a level\" skips a level", "contrast",
                     "input q has no label", "img x.png has no alt", "table without header cells"):
        assert expected in problems
    assert lineage_problems(browser) == ["the edge a -> c runs behind b", "the edge a -> b does not end at b"]
    assert overflow_problems(browser)[0].startswith('the table "too" is ')


HOVERED = "svg.lineage .node, h1, dd .badge"  # where what domain teams type is shown


def test_hostile_text_runs_no_script_in_the_browser(tmp_path, browser):
    site = tmp_path / "site"
    write_site(small_catalog(tmp_path / "mesh", HOSTILE), {}, site)
    found = {}
    for page in sorted(site.rglob("*.html")):
        errors = open_page(browser, page)
        alert = hover_all(browser, HOVERED)
        if errors or alert is not None or console_errors(browser):
            found[str(page.relative_to(site))] = (errors, alert)
    assert found == {}


def test_the_script_checks_see_an_alert_and_a_policy_violation(tmp_path, browser):
    handler = '<h1 onmouseover="alert(1)">hover</h1>'
    (tmp_path / "open.html").write_text(f"<!DOCTYPE html><title>open</title>{handler}")
    (tmp_path / "guarded.html").write_text(f'<!DOCTYPE html><meta http-equiv="Content-Security-Policy" '
                                           f'content="{CONTENT_SECURITY_POLICY}"><title>guarded</title>{handler}')
    open_page(browser, tmp_path / "open.html")
    assert hover_all(browser, HOVERED) == "1"
    errors = open_page(browser, tmp_path / "guarded.html")
    assert hover_all(browser, HOVERED) is None
    assert any("violates the following Content Security Policy" in error for error in errors)


def search(browser, text: str) -> list[str]:
    field = browser.find_element(By.ID, "search-input")
    field.clear()
    field.send_keys(text)
    WebDriverWait(browser, 5).until(lambda d: f"\u201c{text}\u201d" in d.find_element(By.ID, "search-status").text)
    return [item.text for item in browser.find_elements(By.CSS_SELECTOR, "#search-results > li")]


def test_search_finds_a_product_by_a_column_name(site, browser):
    output, _ = site
    assert open_page(browser, output / "index.html") == []
    results = search(browser, "director_name_hash")
    assert results and results[0].startswith("merchants") and "director_name_hash" in results[0]
    assert search(browser, "no_such_column_anywhere") == []
    assert "Nothing found" in browser.find_element(By.ID, "search-status").text
    search(browser, "holdback_rate")
    browser.find_element(By.CSS_SELECTOR, "#search-results a.result-column").click()  # straight to the column
    WebDriverWait(browser, 5).until(lambda d: d.current_url.endswith("products/advances.html#column-holdback_rate"))
    assert console_errors(browser) == []
    header = browser.find_element(By.ID, "site-search")  # every page's header searches from the home page
    header.send_keys("arrears", Keys.ENTER)
    WebDriverWait(browser, 5).until(lambda d: "index.html?q=arrears" in d.current_url)
    WebDriverWait(browser, 5).until(lambda d: d.find_elements(By.CSS_SELECTOR, "#search-results > li"))
    assert "portfolio_performance" in browser.find_element(By.ID, "search-results").text


def consumers(browser) -> list[str]:
    return [item.text for item in browser.find_elements(By.CSS_SELECTOR, "#consumers > li")]


def test_a_product_page_shows_owner_contract_consumers_freshness_and_quality(site, manifest, browser):
    output, _ = site
    assert open_page(browser, output / "products" / "advances.html") == []
    facts = browser.find_element(By.CSS_SELECTOR, "dl.facts").text
    assert "Funding (funding)" in facts and "funding-ops@lender.example" in facts and "@lender/funding" in facts
    assert "fresh" in facts and "failed" in facts
    rows = browser.find_elements(By.CSS_SELECTOR, "table.contract tbody tr")
    assert rows[0].text.split()[:4] == ["advance_id", "varchar", "primary", "key"]
    assert len(rows) == 11
    readers = {node["group"] for node in manifest.nodes.values()
               if node["resource_type"] == "model" and "model.mesh.advances.v1" in node["depends_on"]["nodes"]}
    found = consumers(browser)
    assert [line.split()[0] for line in found] == sorted(readers) and {"analytics", "collections"} <= readers
    by_domain = {line.split()[0]: line for line in found}
    assert "(Insights)" in by_domain["analytics"] and "funnel.v1 product, reads v1" in by_domain["analytics"]
    assert "repayments.v1 product, reads v1" in by_domain["collections"]
    quality = browser.find_element(By.ID, "quality").find_element(By.XPATH, "..").text
    assert "run-newer" in quality and "run-older" in quality and "factor_rate" in quality
    assert "1 / 2" in quality and "2 / 2" in quality
    assert open_page(browser, output / "products" / "merchants.html") == []
    assert consumers(browser) == []  # nothing reads merchants yet: the check can fail
    assert "No model or report reads it yet." in browser.page_source


def test_a_late_product_shows_its_breach_on_its_page_and_on_the_home_page_with_its_owner(site, browser):
    output, generated = site
    assert open_page(browser, output / "index.html") == []
    breaches = {row.find_element(By.TAG_NAME, "th").text: row.text
                for row in browser.find_elements(By.CSS_SELECTOR, "#sla-breaches tbody tr")}
    assert "repayments" in breaches and "advances" not in breaches  # advances has no day column: never late
    assert "Collections (collections)" in breaches["repayments"] and "@lender/collections" in breaches["repayments"]
    assert "newest day 2025-12-31 is 54 h old at 2026-01-03 06:00; the SLA allows 24 h" in breaches["repayments"]
    assert open_page(browser, output / "products" / "repayments.html") == []
    history = browser.find_element(By.ID, "sla-history").find_element(By.XPATH, "..")
    image = history.find_element(By.CSS_SELECTOR, "figure img")
    assert browser.execute_script("return arguments[0].complete && arguments[0].naturalWidth", image) > 300
    assert "2 night(s)" in image.get_attribute("alt") and "1 breached" in image.get_attribute("alt")
    assert [row.text.split()[2] for row in history.find_elements(By.CSS_SELECTOR, "tbody tr")] == ["breached", "met"]
    assert "breached" in browser.find_element(By.CSS_SELECTOR, "dl.facts").text


def test_a_report_shows_its_chart_and_the_numbers_beside_it(mesh, site, browser):
    output, _ = site
    assert open_page(browser, output / "reports" / "conversion_funnel.html") == []
    image = browser.find_element(By.CSS_SELECTOR, "figure.chart img")
    assert browser.execute_script("return arguments[0].complete && arguments[0].naturalWidth", image) > 300
    cells = [[cell.text for cell in row.find_elements(By.CSS_SELECTOR, "th, td")]
             for row in browser.find_elements(By.CSS_SELECTOR, ".numbers tbody tr")]
    totals = query(mesh, "select sum(referrals), sum(applications), sum(approvals), sum(funded) "
                         "from analytics.funnel_v1")[0]
    assert [row[0] for row in cells] == ["Referrals", "Applications", "Approvals", "Funded"]
    assert [int(row[1].replace(",", "")) for row in cells] == list(totals)


def test_screenshots_of_the_home_and_a_product_page(site, browser):
    output, _ = site
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for page, name in ((output / "index.html", "home.png"), (output / "products" / "advances.html", "product.png")):
        open_page(browser, page)
        height = browser.execute_script("return document.documentElement.scrollHeight")
        browser.set_window_size(1400, min(height, 5000))
        browser.save_screenshot(str(SCREENSHOTS / name))
        assert blank_screenshot(SCREENSHOTS / name) is None
    browser.set_window_size(1400, 1000)
    browser.get("about:blank")
    browser.save_screenshot(str(SCREENSHOTS.parent / "blank-check.png"))
    assert "a blank page" in blank_screenshot(SCREENSHOTS.parent / "blank-check.png")  # the check can fail
    (SCREENSHOTS.parent / "blank-check.png").unlink()


def test_mesh_report_draws_one_report_into_the_site(mesh, manifest, tmp_path, capsys):
    output = tmp_path / "site"
    assert main(["report", "repayment_curves_by_cohort", "--project-dir", str(mesh), "--output", str(output)]) == 0
    assert "Drew repayment_curves_by_cohort" in capsys.readouterr().out
    assert (output / "reports" / "repayment_curves_by_cohort.svg").read_text().lstrip().startswith("<?xml")
    page = (output / "reports" / "repayment_curves_by_cohort.html").read_text()
    assert "Months since funding" in page and "Apr 2025" in page
    with pytest.raises(MeshError, match="unknown report 'nope'; the reports are: conversion_funnel, "):
        generate_reports(manifest, Project(mesh), None, output, "nope")


def test_mesh_catalog_serve_serves_the_site_on_localhost(mesh, manifest, tmp_path):
    output = tmp_path / "served"
    command = [sys.executable, "-m", "mesh_platform", "catalog", "--project-dir", str(mesh), "--manifest",
               str(mesh / "target" / "manifest.json"), "--output", str(output), "--serve", "--port", "0"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        lines = []
        for line in process.stdout:
            lines.append(line)
            if line.startswith("Serving the catalog at "):
                break
        url = lines[-1].split(" at ")[1].split()[0]
        with urllib.request.urlopen(url, timeout=10) as response:
            assert response.status == 200 and "<h1 id=\"page-title\">Data catalog</h1>" in response.read().decode()
            assert response.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
        with urllib.request.urlopen(url.replace("index.html", "reports/conversion_funnel.svg"), timeout=10) as chart:
            assert chart.headers["Content-Security-Policy"] == FILE_POLICY  # its own styles, never a script
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_without_a_built_warehouse_the_catalog_says_what_is_missing(mesh, manifest, tmp_path):
    root = tmp_path / "mesh"
    shutil.copytree(mesh, root, ignore=shutil.ignore_patterns("target", "logs", "*.duckdb*"))
    generated = generate_catalog(manifest, Project(root), None, tmp_path / "site")
    assert generated.catalog.observations.samples == {} and generated.catalog.observations.quality == {}
    assert "is not built yet (`mesh build`)" in generated.catalog.observations.notes[0]
    assert all(report.problem and "is not built yet" in report.problem for report in generated.reports.values())
    product = (tmp_path / "site" / "products" / "advances.html").read_text()
    assert "No sample: funding.advances_v1 is not in the warehouse" in product and "Not validated yet" in product
    assert "Not drawn: the warehouse" in (tmp_path / "site" / "reports" / "conversion_funnel.html").read_text()
    assert broken_links(tmp_path / "site") == []


def test_mesh_builds_record_outlives_the_next_dbt_command_and_keeps_earlier_nodes(built_mesh, manifest, tmp_path):
    import dataclasses

    project = Project(tmp_path)
    products = list(collect_products(CatalogIndex(manifest)).values())
    advances = next(product for product in products if product.name == "advances")
    build = built_mesh[1].dbt_results[-1]
    narrow = dataclasses.replace(build, results=[r for r in build.results if r.node.name == "advances"])
    record_build(project, BuildReport(dbt_results=[dataclasses.replace(build, results=[
        r for r in build.results if r.node.name != "advances"])]))
    record_build(project, BuildReport(dbt_results=[narrow]))  # then `mesh build --select advances`
    (tmp_path / "target" / "run_results.json").write_text('{"args": {"which": "compile"}, "results": []}')
    record = read_builds(project, products)
    assert record.source == "mesh build" and len(record.last) == len(build.results)
    assert freshness(advances, record, dt.datetime.now(dt.UTC)).status == "fresh"


def test_reports_are_exposures_that_dbt_build_leaves_out(built_mesh, manifest):
    exposures = {uid for uid in manifest.exposures if manifest.exposures[uid]["config"]["meta"].get("chart")}
    assert len(exposures) == 4  # the analytics domain's reports
    assert not [o for o in built_mesh[1].outcomes if o.resource_type == "exposure"]  # else skipped after a failure
