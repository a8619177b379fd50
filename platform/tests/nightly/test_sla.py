"""Product SLAs: freshness against max_staleness_hours, volume against a band learned from earlier nights."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from conftest import WAREHOUSE, execute, query

from mesh_platform.dbt_session import DbtSession
from mesh_platform.nightly.sla import MIN_HISTORY, measure_slas, staleness_verdict, volume_verdict
from mesh_platform.project import Project

AS_OF_END = dt.datetime(2025, 12, 31, 23, 59, 59)


def test_normal_nights_raise_no_alarm_and_a_tenth_of_usual_does():
    generator = random.Random(7)
    nights = [round(300 * generator.uniform(0.85, 1.15)) for _ in range(40)]
    alarms = [night for index, night in enumerate(nights) if volume_verdict(nights[:index][-30:], night)]
    assert alarms == []  # no false alarm over 40 normal nights (the first MIN_HISTORY are not judged)
    verdict = volume_verdict(nights[-30:], 30)
    assert verdict is not None and verdict.startswith("30 new rows tonight, outside the usual")
    assert volume_verdict(nights[:MIN_HISTORY - 1], 30) is None  # too little history to judge
    assert volume_verdict([0] * 10, 0) is None and volume_verdict([0] * 10, 40) is not None  # a static product


def test_a_product_older_than_its_sla_allows_is_stale():
    assert staleness_verdict(dt.date(2025, 12, 31), AS_OF_END, 24) is None
    assert staleness_verdict(dt.date(2025, 12, 29), AS_OF_END, 24) == (
        "newest day 2025-12-29 is 48 h old at 2025-12-31 23:59; the SLA allows 24 h")
    assert staleness_verdict(None, AS_OF_END, 24) is None and staleness_verdict(dt.date(2025, 1, 1), AS_OF_END, None) \
        is None


@pytest.mark.integration
def test_a_night_measures_every_product_and_flags_the_late_and_the_thin(built_copy):
    session = DbtSession(Project(built_copy))
    mesh = session.mesh()
    built = {node.unique_id for node in mesh.latest_products().values()}
    warehouse = built_copy / WAREHOUSE
    first = measure_slas(mesh, warehouse, "night-1", AS_OF_END, built)
    assert {item.status for _, item in first} == {"passed"} and len(first) == len(built)
    repayments_rows = query(built_copy, "select count(*) from collections.repayments_v1")[0][0]
    # ten earlier nights of about 300 new repayments each, the last one 30 rows short of tonight
    execute(built_copy, "delete from mesh_sla.history")
    for night in range(10):
        execute(built_copy, f"insert into mesh_sla.history (run_id, measured_at, product, row_count, new_rows, "
                            f"newest_day) values ('n{night}', timestamp '2025-12-01' + "
                            f"interval {night} day, 'repayments', {repayments_rows - 30 - (9 - night) * 300}, "
                            f"{300 + night % 3}, date '2025-12-01')")
    found = {item.name: (domain, item) for domain, item in measure_slas(mesh, warehouse, "night-2",
                                                                      dt.datetime(2026, 1, 3, 6), built)}
    domain, repayments = found["repayments.v1"]
    assert domain == "collections" and repayments.status == "failed"
    assert "newest day 2025-12-31 is 54 h old at 2026-01-03 06:00; the SLA allows 24 h" in repayments.message
    assert "30 new rows tonight, outside the usual" in repayments.message
    assert found["advances.v1"][1].status == "passed"  # no day column, no volume history: nothing to breach
    assert query(built_copy, "select count(*) from mesh_sla.history where run_id = 'night-2'")[0][0] == len(built)
    kept = query(built_copy, "select status, breach, age_hours from mesh_sla.history "
                             "where run_id = 'night-2' and product = 'repayments'")
    assert kept == [("failed", repayments.message, pytest.approx(54, abs=0.01))]  # the verdict, for the catalog
