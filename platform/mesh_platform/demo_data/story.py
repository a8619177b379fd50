"""Simulate the reference lending business, deterministically, as raw operational tables.

Partners refer merchants and share their daily card takings; merchants apply; underwriting scores the
application (bureau score, takings) and sets personalised terms; funding pays out the advance; collections
takes the holdback share of each day's takings until amount x factor is repaid. Some merchants fall into
distress after funding, so their advances go into arrears. Money is simulated in whole pence so that every
ledger adds up exactly.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

START = date(2025, 1, 1)
END = date(2025, 12, 31)
HISTORY_DAYS = 90  # takings a partner shares from before the referral, for underwriting
FIRST_REFERRAL = date(2025, 4, 1)
LAST_REFERRAL = date(2025, 10, 31)

PARTNERS = [
    # id, name, type, referral weight, bureau-score shift (partner quality)
    ("P01", "Paybridge", "payment_processor", 5, 25),
    ("P02", "TillPoint", "pos_provider", 4, 10),
    ("P03", "ShopNest", "ecommerce_platform", 3, -5),
    ("P04", "CardCircle", "payment_processor", 3, 0),
    ("P05", "Tabletop POS", "pos_provider", 2, -20),
    ("P06", "MarketLane", "ecommerce_platform", 2, 15),
    ("P07", "SwiftSettle", "payment_processor", 1, -35),
    ("P08", "Counterpay", "pos_provider", 1, 5),
]
SECTORS = {  # sector: weekday multipliers Monday..Sunday
    "retail": (0.9, 0.9, 0.95, 1.0, 1.15, 1.3, 0.8),
    "hospitality": (0.7, 0.75, 0.85, 1.0, 1.35, 1.5, 1.1),
    "health_beauty": (0.8, 1.0, 1.0, 1.1, 1.2, 1.3, 0.5),
    "services": (1.1, 1.1, 1.1, 1.1, 1.0, 0.6, 0.3),
    "ecommerce": (1.1, 1.0, 1.0, 1.0, 0.95, 0.9, 1.05),
}
REGIONS = ["London", "South East", "North West", "Scotland", "Midlands", "Wales", "Yorkshire", "South West"]
FIRST_NAMES = ["Amira", "Ben", "Chloe", "Dev", "Ewa", "Finn", "Grace", "Hamza", "Isla", "Jack", "Kiran", "Lena",
               "Mo", "Nia", "Owen", "Priya", "Rory", "Sofia", "Tom", "Uma", "Viktor", "Yusuf", "Zara"]
LAST_NAMES = ["Ahmed", "Brown", "Campbell", "Davies", "Evans", "Fraser", "Green", "Hughes", "Iqbal", "Jones",
              "Khan", "Lewis", "Murphy", "Novak", "Patel", "Quinn", "Roberts", "Singh", "Taylor", "Walsh"]
BUSINESS_WORDS = ["Corner", "Harbour", "Oak", "Copper", "Lantern", "Willow", "Northgate", "Bramble", "Kite",
                  "Pebble", "Saffron", "Thistle", "Anchor", "Maple", "Juniper"]
BUSINESS_KINDS = {"retail": "Goods", "hospitality": "Kitchen", "health_beauty": "Studio",
                  "services": "Services", "ecommerce": "Online"}
GRADES = [  # grade, minimum bureau score, factor rate, target repayment days
    ("A", 760, "1.10", 150),
    ("B", 680, "1.14", 180),
    ("C", 610, "1.18", 200),
    ("D", 560, "1.24", 220),
]
MIN_MONTHLY_TAKINGS_PENCE = 4_000_00


@dataclass
class Merchant:
    merchant_id: str
    partner_id: str
    sector: str
    referred_on: date
    base_daily_pence: float
    ticket_pence: int
    score_shift: int
    distress_on: date | None = None
    closed_on: date | None = None
    takings: dict[date, int] = field(default_factory=dict)


@dataclass
class Tables:
    """Raw tables keyed by (domain, source system, table), each a list of row dicts in a fixed column order."""

    rows: dict[tuple[str, str, str], list[dict]] = field(default_factory=dict)

    def add(self, domain: str, source: str, table: str, row: dict) -> None:
        self.rows.setdefault((domain, source, table), []).append(row)


def _ts(day: date, rng: random.Random, start_hour: int = 8, end_hour: int = 19) -> str:
    moment = datetime(day.year, day.month, day.day, rng.randint(start_hour, end_hour), rng.randint(0, 59),
                      rng.randint(0, 59))
    return moment.strftime("%Y-%m-%d %H:%M:%S")


def _money(pence: int) -> str:
    return f"{pence // 100}.{pence % 100:02d}"


def _hundredths(rate: str) -> int:
    """A rate such as "0.14" or "1.14" in whole hundredths, so money is computed exactly in pence."""
    units, _, fraction = rate.partition(".")
    return int(units) * 100 + int((fraction + "00")[:2])


def _share(pence: int, rate_hundredths: int) -> int:
    """pence x rate, rounded half up to the penny."""
    return (pence * rate_hundredths + 50) // 100


def _days(first: date, last: date):
    day = first
    while day <= last:
        yield day
        day += timedelta(days=1)


def generate(seed: int = 20250101, merchants: int = 320) -> Tables:
    """Return every raw table of the reference business; the same seed always gives the same rows."""
    rng = random.Random(seed)
    tables = Tables()
    _partners(tables, rng)
    population = [_referral(tables, rng, number) for number in range(1, merchants + 1)]
    for merchant in population:
        _crm_record(tables, rng, merchant)
        _simulate_takings(rng, merchant)
    counters = {"application": 0, "advance": 0, "repayment": 0}
    for merchant in population:
        _apply_and_fund(tables, rng, merchant, counters)
    for merchant in population:
        _takings_feed(tables, rng, merchant)
    _commission_rates(tables, rng)
    return tables


def _partners(tables: Tables, rng: random.Random) -> None:
    for partner_id, name, kind, _, _ in PARTNERS:
        onboarded = START - timedelta(days=rng.randint(120, 900))
        tables.add("partners", "partner_portal", "partners", {
            "partner_id": partner_id, "partner_name": name, "partner_type": kind,
            "country_code": "GB", "onboarded_on": onboarded.isoformat(),
        })


def _referral(tables: Tables, rng: random.Random, number: int) -> Merchant:
    partner = rng.choices(PARTNERS, weights=[p[3] for p in PARTNERS])[0]
    span = (LAST_REFERRAL - FIRST_REFERRAL).days
    merchant = Merchant(
        merchant_id=f"M{number:05d}", partner_id=partner[0], sector=rng.choice(list(SECTORS)),
        referred_on=FIRST_REFERRAL + timedelta(days=rng.randint(0, span)),
        base_daily_pence=rng.lognormvariate(11.2, 0.55), ticket_pence=rng.randint(1200, 6500),
        score_shift=partner[4],
    )
    tables.add("partners", "partner_portal", "referrals", {
        "referral_id": f"R{number:05d}", "partner_id": merchant.partner_id, "merchant_id": merchant.merchant_id,
        "referred_at": _ts(merchant.referred_on, rng), "channel": rng.choice(["api", "api", "portal"]),
    })
    return merchant


def _crm_record(tables: Tables, rng: random.Random, merchant: Merchant) -> None:
    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    business = f"{rng.choice(BUSINESS_WORDS)} {BUSINESS_KINDS[merchant.sector]}"
    domain_name = business.lower().replace(" ", "") + f"{merchant.merchant_id[-3:]}.co.uk"
    record = {
        "merchant_id": merchant.merchant_id, "business_name": f"{business} Ltd", "sector": merchant.sector,
        "region": rng.choice(REGIONS),
        "incorporated_on": (merchant.referred_on - timedelta(days=rng.randint(400, 5000))).isoformat(),
        "director_name": f"{first} {last}", "email": f"{first.lower()}@{domain_name}",
        "phone": f"+44 7700 9{rng.randint(0, 99999):05d}", "updated_at": _ts(merchant.referred_on, rng),
    }
    tables.add("merchants", "crm", "merchants", record)
    if rng.random() < 0.15:  # a later correction: the CRM keeps every version of the record
        later = merchant.referred_on + timedelta(days=rng.randint(5, 40))
        changed = dict(record, updated_at=_ts(min(later, END), rng))
        changed["email"] = f"{last.lower()}.{first.lower()}@{domain_name}"
        tables.add("merchants", "crm", "merchants", changed)


def _simulate_takings(rng: random.Random, merchant: Merchant) -> None:
    weekday = SECTORS[merchant.sector]
    trend = rng.uniform(-0.0004, 0.0008)
    first = merchant.referred_on - timedelta(days=HISTORY_DAYS)
    for offset, day in enumerate(_days(first, END)):
        if merchant.closed_on and day >= merchant.closed_on:
            break
        level = merchant.base_daily_pence * weekday[day.weekday()] * (1 + trend * offset)
        if merchant.distress_on and day >= merchant.distress_on:
            level *= 0.12
        pence = int(level * rng.lognormvariate(0, 0.25))
        if pence >= 100:
            merchant.takings[day] = pence


def _apply_and_fund(tables: Tables, rng: random.Random, merchant: Merchant, counters: dict) -> None:
    if rng.random() > 0.72:
        return
    submitted = merchant.referred_on + timedelta(days=rng.randint(0, 14))
    history = [pence for day, pence in merchant.takings.items() if day < submitted][-HISTORY_DAYS:]
    monthly = int(sum(history) / max(len(history), 1) * 30)
    counters["application"] += 1
    number = counters["application"]
    score = max(300, min(900, int(rng.gauss(625 + merchant.score_shift, 90))))
    requested = max(2_000_00, round(monthly * rng.uniform(0.6, 2.2) / 500_00) * 500_00)
    tables.add("underwriting", "origination", "applications", {
        "application_id": f"A{number:05d}", "referral_id": f"R{merchant.merchant_id[1:]}",
        "merchant_id": merchant.merchant_id, "submitted_at": _ts(submitted, rng),
        "requested_amount": _money(requested), "bureau_score": score,
        "bureau_provider": rng.choice(["experian", "equifax"]),
    })
    decided = submitted + timedelta(days=rng.randint(0, 3))
    grade = next((g for g in GRADES if score >= g[1]), None)
    decision = {"decision_id": f"D{number:05d}", "application_id": f"A{number:05d}",
                "decided_at": _ts(decided, rng, 9, 17), "outcome": "declined", "risk_grade": "E",
                "advance_amount": "", "factor_rate": "", "holdback_rate": "", "decline_reason": ""}
    if grade is None:
        decision["decline_reason"] = "bureau_score_below_threshold"
    elif monthly < MIN_MONTHLY_TAKINGS_PENCE:
        decision.update(risk_grade=grade[0], decline_reason="insufficient_card_takings")
    else:
        amount = min(requested, max(2_000_00, round(monthly * 1.2 / 100_00) * 100_00))
        repayable = _share(amount, _hundredths(grade[2]))
        daily = monthly / 30
        holdback = min(0.25, max(0.05, round(repayable / (daily * grade[3]), 2)))
        decision.update(outcome="approved", risk_grade=grade[0], advance_amount=_money(amount),
                        factor_rate=grade[2], holdback_rate=f"{holdback:.2f}")
        if rng.random() < 0.86 and decided + timedelta(days=8) < END:
            _fund(tables, rng, merchant, decision, decided, counters)
    tables.add("underwriting", "decision_engine", "risk_decisions", decision)


def _fund(tables: Tables, rng: random.Random, merchant: Merchant, decision: dict, decided: date,
          counters: dict) -> None:
    counters["advance"] += 1
    advance_id = f"ADV{counters['advance']:05d}"
    funded = decided + timedelta(days=rng.randint(1, 7))
    amount = int(decision["advance_amount"].replace(".", ""))
    repayable = _share(amount, _hundredths(decision["factor_rate"]))
    holdback = _hundredths(decision["holdback_rate"])
    tables.add("funding", "disbursements", "advances", {
        "advance_id": advance_id, "application_id": decision["application_id"],
        "decision_id": decision["decision_id"], "merchant_id": merchant.merchant_id,
        "funded_at": _ts(funded, rng, 10, 16), "funded_amount": decision["advance_amount"],
        "factor_rate": decision["factor_rate"], "holdback_rate": decision["holdback_rate"],
        "payout_reference": f"PO-{rng.randint(10**7, 10**8 - 1)}",
    })
    if rng.random() < 0.14:  # the business struggles after funding: takings collapse, some close
        merchant.distress_on = funded + timedelta(days=rng.randint(15, 120))
        if rng.random() < 0.5:
            merchant.closed_on = merchant.distress_on + timedelta(days=rng.randint(10, 40))
        _simulate_takings_after(rng, merchant, funded)
    repaid = 0
    for day in sorted(d for d in merchant.takings if d > funded):
        if repaid >= repayable:
            break
        pence = min(_share(merchant.takings[day], holdback), repayable - repaid)
        if pence <= 0:
            continue
        repaid += pence
        counters["repayment"] += 1
        tables.add("collections", "servicing", "repayments", {
            "repayment_id": f"RP{counters['repayment']:06d}", "advance_id": advance_id,
            "collected_on": day.isoformat(), "card_takings_amount": _money(merchant.takings[day]),
            "amount": _money(pence),
        })
    tables.add("collections", "servicing", "ledger_balances", {
        "advance_id": advance_id, "as_of_date": END.isoformat(), "total_repayable": _money(repayable),
        "total_repaid": _money(repaid), "outstanding_balance": _money(repayable - repaid),
    })


def _simulate_takings_after(rng: random.Random, merchant: Merchant, funded: date) -> None:
    """Re-simulate the takings after funding, now that distress (and perhaps closure) is known."""
    before = {day: pence for day, pence in merchant.takings.items() if day <= funded}
    merchant.takings = {}
    _simulate_takings(rng, merchant)
    merchant.takings.update(before)


def _takings_feed(tables: Tables, rng: random.Random, merchant: Merchant) -> None:
    for day in sorted(merchant.takings):
        pence = merchant.takings[day]
        row = {
            "merchant_id": merchant.merchant_id, "partner_id": merchant.partner_id,
            "takings_date": day.isoformat(), "gross_amount": _money(pence),
            "transaction_count": max(1, round(pence / merchant.ticket_pence)),
            "received_at": _ts(day + timedelta(days=1), rng, 1, 5),
        }
        tables.add("partners", "takings_feed", "daily_takings", row)
        if rng.random() < 0.01:  # the partner re-sends a day's file: the feed holds duplicates
            tables.add("partners", "takings_feed", "daily_takings",
                       dict(row, received_at=_ts(day + timedelta(days=2), rng, 1, 5)))


def _commission_rates(tables: Tables, rng: random.Random) -> None:
    for partner_id, *_ in PARTNERS:
        rate = rng.choice(["0.020", "0.025", "0.030", "0.035"])
        tables.add("partners", "legacy_dwh", "partner_commission_rates",
                   {"partner_id": partner_id, "valid_from": START.isoformat(), "valid_to": "",
                    "commission_rate": rate})
        if rng.random() < 0.4:  # a renegotiated rate part-way through the year
            change = date(2025, rng.randint(5, 9), 1)
            row = tables.rows[("partners", "legacy_dwh", "partner_commission_rates")][-1]
            row["valid_to"] = (change - timedelta(days=1)).isoformat()
            tables.add("partners", "legacy_dwh", "partner_commission_rates",
                       {"partner_id": partner_id, "valid_from": change.isoformat(), "valid_to": "",
                        "commission_rate": f"{float(rate) + 0.005:.3f}"})
