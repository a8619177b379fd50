"""The products' SLA history in the catalog, from mesh_sla.history: a chart and the measures on each product page,
and the products breaching now on the home page, with their owners."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
from catalog_browser import page_text, table_rows
from small_catalog import NOW, small_catalog

from mesh_platform.catalog.site import write_site
from mesh_platform.nightly.sla import Measure, age_hours, create_history, record_measure

BREACH = "newest day 2026-11-19 is 84 h old at 2026-11-23 12:00; the SLA allows 24 h"


def sla_history(database: Path, breached_tonight: bool) -> None:
    """Six nights of orders' measures, the newest breaching its SLA when `breached_tonight`."""
    with duckdb.connect(str(database)) as connection:
        create_history(connection)
        for night in range(6):
            when = (NOW - dt.timedelta(days=5 - night)).replace(tzinfo=None)
            late = breached_tonight and night == 5
            newest = dt.date(2026, 11, 19) if late else when.date() - dt.timedelta(days=1)
            record_measure(connection, f"night-{night}", when, Measure("orders", 100 + 10 * night, 10, newest),
                           age_hours(newest, when), "failed" if late else "passed", BREACH if late else None)


def site(tmp_path: Path, breached_tonight: bool) -> Path:
    database = tmp_path / "warehouse.duckdb"
    sla_history(database, breached_tonight)
    write_site(small_catalog(tmp_path / "mesh", database=database), {}, tmp_path / "site")
    return tmp_path / "site"


def test_a_breach_shows_on_the_product_page_and_on_the_home_page_with_its_owner(tmp_path):
    output = site(tmp_path, breached_tonight=True)
    rows = table_rows(output / "index.html")
    header = rows.index(["Product", "Owner", "Contact", "SLA", "Measured", "Breach"])
    assert rows[header + 1] == ["orders", "Sales (sales)", "sales@x.example @x/sales", "breached",
                                "2026-11-23 12:00 UTC", BREACH]
    page = page_text(output / "products" / "orders.html")
    assert f"SLAbreached {BREACH}" in page  # the facts at the top
    measures = table_rows(output / "products" / "orders.html")
    assert ["2026-11-23 12:00", "breached", "150", "10", "2026-11-19", "84 h", BREACH] in measures
    assert ["2026-11-22 12:00", "met", "140", "10", "2026-11-21", "12 h", ""] in measures
    chart = (output / "products" / "orders-sla.svg").read_text()
    assert chart.startswith("<?xml") and "breached" in chart and "new rows" in chart and "hours old" in chart
    assert 'src="orders-sla.svg"' in (output / "products" / "orders.html").read_text()


def test_a_catalog_without_breaches_lists_none(tmp_path):
    output = site(tmp_path, breached_tonight=False)
    home = page_text(output / "index.html")
    assert "No data product breaches its SLA" in home and BREACH not in home
    assert ["Product", "Owner", "Contact", "SLA", "Measured", "Breach"] not in table_rows(output / "index.html")
    assert "breached" not in page_text(output / "products" / "orders.html")
    assert "SLAmet fresh, and new rows within the usual band" in page_text(output / "products" / "orders.html")


def test_a_history_kept_before_the_verdicts_reads_as_not_judged(tmp_path):
    database = tmp_path / "warehouse.duckdb"
    with duckdb.connect(str(database)) as connection:  # the table as the first nights made it
        connection.execute("create schema mesh_sla")
        connection.execute("create table mesh_sla.history (run_id varchar, measured_at timestamp, product varchar, "
                           "row_count bigint, new_rows bigint, newest_day date)")
        connection.execute("insert into mesh_sla.history values ('n0', timestamp '2026-11-22 02:00', 'orders', 90, "
                           "null, null)")
    write_site(small_catalog(tmp_path / "mesh", database=database), {}, tmp_path / "site")
    assert ["2026-11-22 02:00", "not judged", "90", "–", "–", "–", ""] in table_rows(tmp_path / "site" / "products" /
                                                                                 "orders.html")
    with duckdb.connect(str(database)) as connection:  # the next night adds the verdict columns
        create_history(connection)
        assert connection.sql("select status from mesh_sla.history").fetchall() == [(None,)]
