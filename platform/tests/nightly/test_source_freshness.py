"""Source freshness: dbt's own `source freshness`, measured against the business's clock (the end of the as-of
day), each source reported against its domain."""

from __future__ import annotations

import pytest
from conftest import execute

from mesh_platform.dbt_session import DbtSession
from mesh_platform.nightly.steps import freshness_items
from mesh_platform.project import Project

pytestmark = pytest.mark.integration
TAKINGS = "source.mesh.takings_feed.daily_takings"


def by_source(root) -> dict[str, tuple[str, str, str]]:
    found = freshness_items(DbtSession(Project(root)))
    return {item.key: (domain, item.status, item.message) for domain, item in found}


def test_every_fed_source_is_fresh_on_the_reference_data(built_copy):
    found = by_source(built_copy)
    assert len(found) == 8  # partner accounts and commission rates are reference data: no freshness
    assert {status for _, status, _ in found.values()} == {"passed"}
    assert found[TAKINGS][0] == "partners" and found["source.mesh.servicing.repayments"][0] == "collections"
    assert found[TAKINGS][2].startswith("fresh: newest row 2025-12-31 00:00, 24 h before 2025-12-31 23:59")


def test_a_feed_held_back_by_two_days_is_stale_against_its_domain(built_copy):
    execute(built_copy, "delete from raw_partners.takings_feed__daily_takings where takings_date > '2025-12-29'")
    execute(built_copy, "delete from raw_collections.servicing__repayments where collected_on > '2025-12-30'")
    found = by_source(built_copy)
    assert found[TAKINGS][:2] == ("partners", "failed")
    assert found[TAKINGS][2] == ("stale: newest row 2025-12-29 00:00, 72 h before 2025-12-31 23:59 (warn after 36 "
                                 "hour(s), error after 60 hour(s))")
    assert found["source.mesh.servicing.repayments"][:2] == ("collections", "warned")  # one day late: a warning
    assert found["source.mesh.disbursements.advances"][1] == "passed"
