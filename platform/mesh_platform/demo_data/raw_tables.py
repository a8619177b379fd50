"""The raw tables as files: where each one lies under a raw-data folder, its columns, and its date partitions.

The layout is what the sources read when `raw_data_path` is set (see `sources:` in dbt_project.yml):
`<raw_data_path>/<schema>/<identifier>/`, the schema and identifier being the ones the seeds load into
(`raw_<domain>`, `<source>__<table>`). The daily facts are split into one folder per day
(`takings_date=2025-12-31/`, Hive style, the column also kept in the files), so a new day is a new folder
and a reader filtering on the day opens only that folder; the other tables are one file each.
The columns and types are the ones `dbt seed` gives the committed seeds.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class RawTable:
    domain: str
    source: str
    table: str
    columns: tuple[tuple[str, str], ...]  # (name, DuckDB type), in the seed's order
    partition_by: str | None = None  # a DATE column: one folder per day

    @property
    def schema(self) -> str:
        return f"raw_{self.domain}"

    @property
    def identifier(self) -> str:
        return f"{self.source}__{self.table}"

    def folder(self, raw_dir: Path) -> Path:
        return raw_dir / self.schema / self.identifier

    def day_folder(self, raw_dir: Path, day: str) -> Path:
        """The folder holding one day's rows of a partitioned table."""
        if self.partition_by is None:
            raise ValueError(f"{self.identifier} is not partitioned by day")
        return self.folder(raw_dir) / f"{self.partition_by}={day}"

    def glob(self, raw_dir: Path) -> str:
        return str(self.folder(raw_dir) / "**" / "*.parquet")


def _columns(spec: str) -> tuple[tuple[str, str], ...]:
    return tuple(tuple(item.split(":")) for item in spec.split())  # type: ignore[misc]


RAW_TABLES = (
    RawTable("partners", "partner_portal", "partners", _columns(
        "partner_id:VARCHAR partner_name:VARCHAR partner_type:VARCHAR country_code:VARCHAR onboarded_on:DATE")),
    RawTable("partners", "partner_portal", "referrals", _columns(
        "referral_id:VARCHAR partner_id:VARCHAR merchant_id:VARCHAR referred_at:TIMESTAMP channel:VARCHAR")),
    RawTable("partners", "takings_feed", "daily_takings", _columns(
        "merchant_id:VARCHAR partner_id:VARCHAR takings_date:DATE gross_amount:DOUBLE transaction_count:INTEGER "
        "received_at:TIMESTAMP"), partition_by="takings_date"),
    RawTable("partners", "legacy_dwh", "partner_commission_rates", _columns(
        "partner_id:VARCHAR valid_from:DATE valid_to:DATE commission_rate:DOUBLE")),
    RawTable("merchants", "crm", "merchants", _columns(
        "merchant_id:VARCHAR business_name:VARCHAR sector:VARCHAR region:VARCHAR incorporated_on:DATE "
        "director_name:VARCHAR email:VARCHAR phone:VARCHAR updated_at:TIMESTAMP")),
    RawTable("underwriting", "origination", "applications", _columns(
        "application_id:VARCHAR referral_id:VARCHAR merchant_id:VARCHAR submitted_at:TIMESTAMP "
        "requested_amount:INTEGER bureau_score:INTEGER bureau_provider:VARCHAR")),
    RawTable("underwriting", "decision_engine", "risk_decisions", _columns(
        "decision_id:VARCHAR application_id:VARCHAR decided_at:TIMESTAMP outcome:VARCHAR risk_grade:VARCHAR "
        "advance_amount:INTEGER factor_rate:DOUBLE holdback_rate:DOUBLE decline_reason:VARCHAR")),
    RawTable("funding", "disbursements", "advances", _columns(
        "advance_id:VARCHAR application_id:VARCHAR decision_id:VARCHAR merchant_id:VARCHAR funded_at:TIMESTAMP "
        "funded_amount:INTEGER factor_rate:DOUBLE holdback_rate:DOUBLE payout_reference:VARCHAR")),
    RawTable("collections", "servicing", "repayments", _columns(
        "repayment_id:VARCHAR advance_id:VARCHAR collected_on:DATE card_takings_amount:DOUBLE amount:DOUBLE"),
        partition_by="collected_on"),
    RawTable("collections", "servicing", "ledger_balances", _columns(
        "advance_id:VARCHAR as_of_date:DATE total_repayable:INTEGER total_repaid:DOUBLE "
        "outstanding_balance:DOUBLE")),
)


def raw_table(identifier: str) -> RawTable:
    for table in RAW_TABLES:
        if table.identifier == identifier:
            return table
    raise KeyError(identifier)


def daily_tables() -> tuple[RawTable, ...]:
    """The tables split into one folder per day: what a nightly receives a new day of."""
    return tuple(table for table in RAW_TABLES if table.partition_by is not None)
