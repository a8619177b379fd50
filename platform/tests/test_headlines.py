"""Headline numbers, read through dbt from the analytics products."""

import pytest
from conftest import query

from mesh_platform.dbt_session import DbtSession
from mesh_platform.errors import DbtFailure
from mesh_platform.headlines import read_headlines
from mesh_platform.project import Project

pytestmark = pytest.mark.integration


def test_headlines_agree_with_the_funding_and_collections_products(built_mesh):
    root, _ = built_mesh
    headlines = read_headlines(DbtSession(Project(root)))
    advances, funded, repayable = query(root, "select count(*), sum(funded_amount), sum(total_repayable) "
                                              "from funding.advances_v1")[0]
    repaid = query(root, "select sum(amount) from collections.repayments_v1")[0][0]
    assert (headlines.advances_funded, headlines.funded_amount, headlines.total_repayable) == (
        advances, funded, repayable)
    assert headlines.repaid_to_date == repaid
    assert headlines.outstanding_balance == repayable - repaid
    assert 0 < headlines.repaid_pct < 1 and 0 < headlines.referral_to_funded_pct < 1
    labels = dict(headlines.lines())
    assert labels["Total funded"] == f"£{funded:,.2f}"


def test_headlines_before_a_build_say_to_build_first(project_copy):
    with pytest.raises(DbtFailure, match=r"build the mesh first \(`mesh build`\)"):
        read_headlines(DbtSession(Project(project_copy)))
