"""Headline numbers of the portfolio, read from the analytics domain's public data products."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from .dbt_session import DbtSession, describe_failure
from .errors import DbtFailure

HEADLINES_SQL = """
with portfolio as (
    select
        sum(advances_funded) as advances_funded,
        sum(funded_amount) as funded_amount,
        sum(total_repayable) as total_repayable,
        sum(repaid_to_date) as repaid_to_date,
        sum(outstanding_balance) as outstanding_balance,
        sum(advances_repaid) as advances_repaid,
        sum(advances_in_arrears) as advances_in_arrears
    from {{ ref('portfolio_performance') }}
),
funnel as (
    select sum(referrals) as referrals, sum(funded) as funded_referrals
    from {{ ref('funnel') }}
)
select * from portfolio cross join funnel
"""


COUNTS = {"advances_funded", "advances_repaid", "advances_in_arrears", "referrals", "funded_referrals"}


@dataclass(frozen=True)
class Headlines:
    advances_funded: int
    funded_amount: Decimal
    total_repayable: Decimal
    repaid_to_date: Decimal
    outstanding_balance: Decimal
    advances_repaid: int
    advances_in_arrears: int
    referrals: int
    funded_referrals: int

    @property
    def repaid_pct(self) -> float:
        return float(self.repaid_to_date / self.total_repayable) if self.total_repayable else 0.0

    @property
    def referral_to_funded_pct(self) -> float:
        return self.funded_referrals / self.referrals if self.referrals else 0.0

    def lines(self) -> list[tuple[str, str]]:
        return [
            ("Advances funded", f"{self.advances_funded:,}"),
            ("Total funded", f"£{self.funded_amount:,.2f}"),
            ("Total repayable (amount x factor)", f"£{self.total_repayable:,.2f}"),
            ("Repaid to date", f"£{self.repaid_to_date:,.2f} ({self.repaid_pct:.1%})"),
            ("Outstanding", f"£{self.outstanding_balance:,.2f}"),
            ("Advances fully repaid", f"{self.advances_repaid:,}"),
            ("Advances in arrears", f"{self.advances_in_arrears:,}"),
            ("Referral -> funded conversion", f"{self.referral_to_funded_pct:.1%}"),
        ]


def read_headlines(session: DbtSession) -> Headlines:
    """Query the warehouse through dbt (so any target works); fail clearly when the mesh is not built."""
    result = session.invoke(["show", "--inline", HEADLINES_SQL, "--limit", "1"])
    if not result.success:
        raise DbtFailure(f"could not read the analytics products, build the mesh first (`mesh build`): "
                         f"{describe_failure(result, session.project)}")
    table = result.result.results[0].agate_table
    row = dict(zip(table.column_names, table.rows[0].values(), strict=False))
    if row["advances_funded"] is None:
        raise DbtFailure("the analytics products are empty; build the mesh with its seeds (`mesh build`)")
    values: dict[str, Any] = {name: int(value) if name in COUNTS else Decimal(str(value))
                              for name, value in row.items()}
    return Headlines(**values)
