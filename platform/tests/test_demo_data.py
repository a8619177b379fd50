"""The raw data generator: deterministic, the source of the committed seeds, and a consistent story."""

from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

import pytest
from conftest import REPO

from mesh_platform.demo_data import generate, write_seeds


@pytest.fixture(scope="module")
def tables():
    return generate().rows


def test_the_committed_seeds_are_exactly_what_the_generator_writes(tmp_path):
    written = write_seeds(generate(), tmp_path)
    committed = sorted(p.relative_to(REPO / "seeds") for p in (REPO / "seeds").rglob("*.csv"))
    assert sorted(p.relative_to(tmp_path) for p in written) == committed
    for path in committed:
        assert (tmp_path / path).read_bytes() == (REPO / "seeds" / path).read_bytes(), path
    assert not list(tmp_path.rglob("*.partial"))


def test_another_seed_gives_another_story():
    assert generate(seed=7).rows != generate().rows


def test_repayments_are_the_holdback_share_and_stop_at_amount_times_factor(tables):
    advances = {a["advance_id"]: a for a in tables[("funding", "disbursements", "advances")]}
    repaid = defaultdict(Decimal)
    for repayment in tables[("collections", "servicing", "repayments")]:
        advance = advances[repayment["advance_id"]]
        holdback = Decimal(advance["holdback_rate"])
        amount = Decimal(repayment["amount"])
        share = Decimal(repayment["card_takings_amount"]) * holdback
        assert 0 < amount <= share.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        repaid[advance["advance_id"]] += amount
    for ledger in tables[("collections", "servicing", "ledger_balances")]:
        advance = advances[ledger["advance_id"]]
        repayable = (Decimal(advance["funded_amount"]) * Decimal(advance["factor_rate"])).quantize(Decimal("1.00"))
        assert Decimal(ledger["total_repayable"]) == repayable
        assert Decimal(ledger["total_repaid"]) == repaid[advance["advance_id"]] <= repayable
    settled = [ledger for ledger in tables[("collections", "servicing", "ledger_balances")]
               if Decimal(ledger["outstanding_balance"]) == 0]
    assert 0 < len(settled) < len(advances)


def test_the_story_is_consistent_from_referral_to_funding(tables):
    referrals = {r["referral_id"]: r for r in tables[("partners", "partner_portal", "referrals")]}
    applications = {a["application_id"]: a for a in tables[("underwriting", "origination", "applications")]}
    decisions = {d["application_id"]: d for d in tables[("underwriting", "decision_engine", "risk_decisions")]}
    merchants = {m["merchant_id"] for m in tables[("merchants", "crm", "merchants")]}
    for application in applications.values():
        assert referrals[application["referral_id"]]["merchant_id"] == application["merchant_id"]
        assert application["submitted_at"] >= referrals[application["referral_id"]]["referred_at"][:10]
    assert set(decisions) == set(applications)
    for decision in decisions.values():
        assert (decision["outcome"] == "approved") == bool(decision["advance_amount"])
        assert (decision["outcome"] == "declined") == bool(decision["decline_reason"])
    for advance in tables[("funding", "disbursements", "advances")]:
        decision = decisions[advance["application_id"]]
        assert decision["outcome"] == "approved" and advance["funded_amount"] == decision["advance_amount"]
        assert advance["funded_at"] > decision["decided_at"] and advance["merchant_id"] in merchants
    outcomes = {d["outcome"] for d in decisions.values()}
    assert outcomes == {"approved", "declined"}


def test_merchants_carry_pii_and_the_feed_carries_resent_days(tables):
    crm = tables[("merchants", "crm", "merchants")]
    assert all("@" in m["email"] and m["phone"].startswith("+44") and " " in m["director_name"] for m in crm)
    assert len(crm) > len({m["merchant_id"] for m in crm})  # corrected versions of some records
    feed = tables[("partners", "takings_feed", "daily_takings")]
    assert len(feed) > len({(row["merchant_id"], row["takings_date"]) for row in feed})
