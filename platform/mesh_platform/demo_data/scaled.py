"""The reference business at any scale, simulated in DuckDB SQL and written as Parquet, one folder per day.

The same story as `story.py` (which writes the seeds, row by row in Python): partners refer merchants and
share their daily card takings; 72% of merchants apply; underwriting scores the bureau score and 90 days of
takings and sets the terms; most approvals are funded; collections takes the holdback share of each day's
takings until amount x factor is repaid; some merchants fall into distress after funding and some close.
Here every random draw is a hash of (seed, what is drawn, whose), so the rows do not depend on the order of
evaluation: DuckDB computes them in parallel, in bounded memory (spilling to disk past its limit), and the
same seed and scale always give the same rows. Scale 1 is about the size of the seeds (400 merchants,
~100,000 takings rows); scale N has N times the merchants (scale 100: ~10 million takings rows).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from .raw_tables import RAW_TABLES, RawTable
from .story import (
    BUSINESS_KINDS,
    BUSINESS_WORDS,
    FIRST_NAMES,
    GRADES,
    LAST_NAMES,
    MIN_MONTHLY_TAKINGS_PENCE,
    PARTNERS,
    REGIONS,
    SECTORS,
)

MERCHANTS_PER_SCALE = 400
START, END = date(2025, 1, 1), date(2025, 12, 31)
FIRST_REFERRAL, LAST_REFERRAL = date(2025, 4, 1), date(2025, 10, 31)
HISTORY_DAYS = 90
TAKINGS_CHUNK_MERCHANTS = 4_000  # merchants simulated per statement: bounds memory, paces the progress bar

Progress = Callable[[str, float], None]  # (what is being done, share of the whole work just finished)


@dataclass(frozen=True)
class Written:
    table: RawTable
    rows: int
    files: int


def _sql_list(values) -> str:
    return "[" + ", ".join(f"'{value}'" if isinstance(value, str) else str(value) for value in values) + "]"


def _macros(seed: int) -> list[str]:
    """Random draws as pure functions of (seed, tag, keys): uniform in [0, 1), normal, whole numbers."""
    return [
        f"create macro u(tag, a, b) as hash({seed}, tag, a, b)::double / 18446744073709551616.0",
        "create macro randint(tag, a, b, lo, hi) as (lo + floor(u(tag, a, b) * (hi - lo + 1)))::integer",
        "create macro normal(tag, a, b) as "
        "sqrt(-2 * ln(1 - u(tag || '#1', a, b))) * cos(2 * pi() * u(tag || '#2', a, b))",
        # a moment of `day` between start_hour:00:00 and end_hour:59:59
        "create macro moment(tag, a, b, day, start_hour, end_hour) as cast(day as timestamp) + to_seconds("
        "start_hour * 3600 + floor(u(tag, a, b) * (end_hour - start_hour + 1) * 3600)::integer)",
        "create macro pounds(pence) as pence / 100.0",
        # a merchant's card takings on `day` (a DATE): level x weekday x trend x factor (distress) x noise
        "create macro takings_pence(n, base, weekday, trend, first_day, day, factor) as floor(base "
        "* weekday[isodow(day)] * (1 + trend * (day - first_day)) * factor * exp(0.25 * normal('takings', n, day)))"
        "::bigint",
        "create macro share(pence, rate_hundredths) as (pence * rate_hundredths + 50) // 100",
    ]


def _reference_tables() -> list[str]:
    partners = ", ".join(f"({i}, '{pid}', '{name}', '{kind}', {weight}, {shift})"
                         for i, (pid, name, kind, weight, shift) in enumerate(PARTNERS, 1))
    sectors = ", ".join(f"({i}, '{name}', {list(weights)}, '{BUSINESS_KINDS[name]}')"
                        for i, (name, weights) in enumerate(SECTORS.items(), 1))
    grades = ", ".join(f"('{grade}', {score}, {round(float(rate) * 100)}, '{rate}', {days})"
                       for grade, score, rate, days in GRADES)
    return [
        f"create table partner_ref as select *, sum(weight) over (order by partner_no) - weight as weight_from, "
        f"sum(weight) over (order by partner_no) as weight_to from (values {partners}) "
        f"as t(partner_no, partner_id, partner_name, partner_type, weight, score_shift)",
        f"create table sector_ref as select * from (values {sectors}) as t(sector_no, sector, weekday, kind)",
        f"create table grade_ref as select * from (values {grades}) "
        f"as t(risk_grade, min_score, factor_hundredths, factor_rate, target_days)",
        f"create table words as select {_sql_list(FIRST_NAMES)} as first_names, {_sql_list(LAST_NAMES)} as "
        f"last_names, {_sql_list(BUSINESS_WORDS)} as business_words, {_sql_list(REGIONS)} as regions",
    ]


def _merchant_sql(merchants: int, width: int) -> str:
    span = (LAST_REFERRAL - FIRST_REFERRAL).days
    return f"""
        create table merchant as
        with drawn as (
            select
                n,
                u('partner', n, 0) * (select max(weight_to) from partner_ref) as partner_draw,
                randint('sector', n, 0, 1, {len(SECTORS)}) as sector_no,
                date '{FIRST_REFERRAL}' + randint('referred', n, 0, 0, {span}) as referred_on,
                exp(11.2 + 0.55 * normal('base', n, 0)) as base_daily_pence,
                randint('ticket', n, 0, 1200, 6500) as ticket_pence,
                -0.0004 + u('trend', n, 0) * 0.0012 as trend
            from range(1, {merchants} + 1) as t(n)
        )
        select
            drawn.*,
            'M' || lpad(cast(n as varchar), {width}, '0') as merchant_id,
            'R' || lpad(cast(n as varchar), {width}, '0') as referral_id,
            referred_on - {HISTORY_DAYS} as first_day,
            partner_ref.partner_id,
            partner_ref.score_shift,
            sector_ref.sector,
            sector_ref.weekday,
            sector_ref.kind
        from drawn
        inner join partner_ref on partner_draw >= weight_from and partner_draw < weight_to
        inner join sector_ref using (sector_no)
    """


def _underwriting_sql(width: int) -> list[str]:
    grade = "(select risk_grade from grade_ref where bureau_score >= min_score order by min_score desc limit 1)"
    return [f"""
        create table application as
        with applicants as (
            select
                m.*,
                row_number() over (order by n) as application_no,
                referred_on + randint('submitted', n, 0, 0, 14) as submitted_on
            from merchant as m
            where u('applies', n, 0) <= 0.72
        ),
        history as (  -- the takings of the 90 days before the application, as a month
            select n, coalesce(floor(avg(pence) filter (where pence >= 100) * 30), 0)::bigint as monthly
            from (
                select m.n, takings_pence(m.n, m.base_daily_pence, m.weekday, m.trend, m.first_day,
                                     m.submitted_on - {HISTORY_DAYS} + cast(r.k as integer), 1) as pence
                from applicants as m
                cross join lateral range(0, {HISTORY_DAYS}) as r(k)
            ) as p
            group by n
        ),
        scored as (
            select
                a.*,
                h.monthly,
                greatest(300, least(900, trunc(625 + a.score_shift + 90 * normal('score', a.n, 0))))::integer
                    as bureau_score,
                greatest(200000, round(h.monthly * (0.6 + 1.6 * u('requested', a.n, 0)) / 50000) * 50000)::bigint
                    as requested_pence,
                a.submitted_on + randint('decided', a.n, 0, 0, 3) as decided_on
            from applicants as a
            inner join history as h using (n)
        )
        select
            scored.*,
            {grade} as grade,
            'A' || lpad(cast(application_no as varchar), {width}, '0') as application_id,
            'D' || lpad(cast(application_no as varchar), {width}, '0') as decision_id,
            moment('submitted_at', n, 0, submitted_on, 8, 19) as submitted_at,
            moment('decided_at', n, 0, decided_on, 9, 17) as decided_at,
            case when u('bureau', n, 0) < 0.5 then 'experian' else 'equifax' end as bureau_provider
        from scored
    """, f"""
        create table decision as
        with graded as (
            select
                application.*,
                grade_ref.factor_hundredths,
                grade_ref.factor_rate,
                grade_ref.target_days,
                case
                    when grade is null then 'bureau_score_below_threshold'
                    when monthly < {MIN_MONTHLY_TAKINGS_PENCE} then 'insufficient_card_takings'
                end as decline_reason,
                least(requested_pence, greatest(200000, round(monthly * 1.2 / 10000) * 10000))::bigint
                    as amount_pence
            from application
            left join grade_ref on grade_ref.risk_grade = application.grade
        )
        select
            graded.* exclude (factor_rate, factor_hundredths),
            decline_reason is null as approved,
            case when decline_reason is null then factor_rate end as factor_rate,
            case when decline_reason is null then factor_hundredths end as factor_hundredths,
            case when decline_reason is null then share(amount_pence, factor_hundredths) end as repayable_pence,
            case when decline_reason is null then cast(least(25, greatest(5, 100 * round(
                share(amount_pence, factor_hundredths) / (monthly / 30.0 * target_days), 2))) as integer)
            end as holdback_hundredths
        from graded
    """, f"""
        create table advance as
        with funded as (
            select
                decision.*,
                row_number() over (order by application_no) as advance_no,
                decided_on + randint('funded', n, 0, 1, 7) as funded_on
            from decision
            where approved and u('funds', n, 0) < 0.86 and decided_on + 8 < date '{END}'
        ),
        distress as (
            select
                funded.*,
                case when u('distress', n, 0) < 0.14 then funded_on + randint('distress_on', n, 0, 15, 120) end
                    as distress_on
            from funded
        )
        select
            distress.*,
            'ADV' || lpad(cast(advance_no as varchar), {width}, '0') as advance_id,
            moment('funded_at', n, 0, funded_on, 10, 16) as funded_at,
            'PO-' || cast(randint('payout', n, 0, 10000000, 99999999) as varchar) as payout_reference,
            case when distress_on is not null and u('closes', n, 0) < 0.5
                then distress_on + randint('closed_on', n, 0, 10, 40) end as closed_on
        from distress
    """]


def _takings_sql(first: int, last: int) -> str:
    """The takings of merchants first..last, after distress (takings fall to 12%) and closure (they stop)."""
    return f"""
        insert into takings
        select n, day, pence
        from (
            select
                m.n,
                d.day,
                takings_pence(m.n, m.base_daily_pence, m.weekday, m.trend, m.first_day, d.day,
                              case when d.day >= a.distress_on then 0.12 else 1 end) as pence,
                a.closed_on
            from merchant as m
            left join advance as a using (n)
            cross join lateral range(0, date '{END}' - m.first_day + 1) as r(k)
            cross join lateral (select m.first_day + cast(r.k as integer) as day) as d
            where m.n between {first} and {last}
        ) as t
        where pence >= 100 and (closed_on is null or day < closed_on)
    """


def _repayments_sql() -> str:
    return """
        create table repayment as
        with shares as (
            select
                a.advance_no,
                a.advance_id,
                a.repayable_pence,
                t.day,
                t.pence,
                share(t.pence, a.holdback_hundredths) as share_pence
            from advance as a
            inner join takings as t on t.n = a.n and t.day > a.funded_on
        ),
        running as (
            select
                *,
                sum(share_pence) over (partition by advance_no order by day rows unbounded preceding) as shared
            from shares
        )
        select
            'RP' || lpad(cast(row_number() over (order by advance_no, day) as varchar),
                         cast(greatest(6, length(cast(count(*) over () as varchar))) as integer), '0')
                as repayment_id,
            advance_no,
            advance_id,
            day as collected_on,
            pence as card_takings_pence,
            (least(shared, repayable_pence) - least(shared - share_pence, repayable_pence))::bigint as amount_pence
        from running
        where shared - share_pence < repayable_pence
    """


def _commission_rates_sql() -> str:
    return f"""
        select partner_id, valid_from, valid_to, commission_rate
        from (
            select
                partner_no,
                partner_id,
                ['0.020', '0.025', '0.030', '0.035'][randint('rate', partner_no, 0, 1, 4)] as rate,
                u('renegotiated', partner_no, 0) < 0.4 as renegotiated,
                make_date(2025, randint('change', partner_no, 0, 5, 9), 1) as change_on
            from partner_ref
        ) as p,
        lateral (
            select date '{START}' as valid_from,
                case when renegotiated then change_on - 1 end as valid_to,
                cast(rate as double) as commission_rate, 1 as version
            union all
            select change_on, null, round(cast(rate as double) + 0.005, 3), 2
            where renegotiated
        )
        order by partner_no, version
    """


def _output_queries() -> dict[str, str]:
    """Each raw table's rows, in the seed's columns (the types are cast on writing)."""
    return {
        "partner_portal__partners": f"""
            select partner_id, partner_name, partner_type, 'GB' as country_code,
                date '{START}' - randint('onboarded', partner_no, 0, 120, 900) as onboarded_on
            from partner_ref order by partner_no""",
        "partner_portal__referrals": """
            select referral_id, partner_id, merchant_id, moment('referred_at', n, 0, referred_on, 8, 19) as referred_at,
                ['api', 'api', 'portal'][randint('channel', n, 0, 1, 3)] as channel
            from merchant order by n""",
        "legacy_dwh__partner_commission_rates": _commission_rates_sql(),
        "crm__merchants": f"""
            with named as (
                select
                    n, merchant_id, sector, referred_on,
                    first_names[randint('first', n, 0, 1, len(first_names))] as first_name,
                    last_names[randint('last', n, 0, 1, len(last_names))] as last_name,
                    business_words[randint('business', n, 0, 1, len(business_words))] || ' ' || kind as business,
                    regions[randint('region', n, 0, 1, len(regions))] as region,
                    referred_on - randint('incorporated', n, 0, 400, 5000) as incorporated_on,
                    '+44 7700 9' || lpad(cast(randint('phone', n, 0, 0, 99999) as varchar), 5, '0') as phone,
                    u('corrected', n, 0) < 0.15 as corrected
                from merchant, words
            ),
            addressed as (
                select *, lower(replace(business, ' ', '')) || right(merchant_id, 3) || '.co.uk' as web_domain
                from named
            )
            select merchant_id, business || ' Ltd' as business_name, sector, region, incorporated_on,
                first_name || ' ' || last_name as director_name, email, phone, updated_at
            from addressed,
            lateral (
                select lower(first_name) || '@' || web_domain as email,
                    moment('updated_at', n, 0, referred_on, 8, 19) as updated_at, 1 as version
                union all
                select lower(last_name) || '.' || lower(first_name) || '@' || web_domain,
                    moment('corrected_at', n, 0,
                           least(referred_on + randint('later', n, 0, 5, 40), date '{END}'), 8, 19), 2
                where corrected
            )
            order by n, version""",
        "takings_feed__daily_takings": """
            select m.merchant_id, m.partner_id, t.day as takings_date, pounds(t.pence) as gross_amount,
                greatest(1, round(t.pence / m.ticket_pence)) as transaction_count, received_at
            from takings as t
            inner join merchant as m using (n),
            lateral (
                select moment('received_at', t.n, t.day, t.day + 1, 1, 5) as received_at, 1 as copy
                union all  -- the partner re-sends a day's file: the feed holds duplicates
                select moment('resent_at', t.n, t.day, t.day + 2, 1, 5), 2
                where u('resent', t.n, t.day) < 0.01
            )""",
        "origination__applications": """
            select application_id, referral_id, merchant_id, submitted_at, pounds(requested_pence) as requested_amount,
                bureau_score, bureau_provider
            from application order by application_no""",
        "decision_engine__risk_decisions": """
            select decision_id, application_id, decided_at, case when approved then 'approved' else 'declined' end,
                coalesce(grade, 'E') as risk_grade,
                case when approved then pounds(amount_pence) end as advance_amount,
                cast(factor_rate as double) as factor_rate, holdback_hundredths / 100.0 as holdback_rate,
                decline_reason
            from decision order by application_no""",
        "disbursements__advances": """
            select advance_id, application_id, decision_id, merchant_id, funded_at, pounds(amount_pence),
                cast(factor_rate as double), holdback_hundredths / 100.0, payout_reference
            from advance order by advance_no""",
        "servicing__repayments": """
            select repayment_id, advance_id, collected_on, pounds(card_takings_pence), pounds(amount_pence)
            from repayment""",
        "servicing__ledger_balances": f"""
            select a.advance_id, date '{END}', pounds(a.repayable_pence), pounds(coalesce(r.repaid, 0)),
                pounds(a.repayable_pence - coalesce(r.repaid, 0))
            from advance as a
            left join (select advance_no, sum(amount_pence) as repaid from repayment group by advance_no) as r
                using (advance_no)
            order by a.advance_no""",
    }


def _quoted(path) -> str:
    return str(path).replace("'", "''")


def _copy_sql(table: RawTable, query: str, folder: Path) -> str:
    """COPY the query's rows to Parquet, cast to the table's columns (named and typed as the seeds are)."""
    casts = ", ".join(f"cast(c{i} as {kind}) as {name}" for i, (name, kind) in enumerate(table.columns))
    aliased = f"select {casts} from ({query}) as q({', '.join(f'c{i}' for i in range(len(table.columns)))})"
    target = _quoted(folder)
    if table.partition_by is None:
        return f"copy ({aliased}) to '{target}/data.parquet' (format parquet, compression zstd)"
    return (f"copy ({aliased}) to '{target}' (format parquet, compression zstd, "
            f"partition_by ({table.partition_by}), write_partition_columns true)")


def generate_parquet(raw_dir: Path, scale: int, seed: int = 20250101, work_dir: Path | None = None,
                     progress: Progress = lambda step, done: None) -> list[Written]:
    """Simulate the business at `scale` and write every raw table under `raw_dir` (which must not exist).

    DuckDB spills to `work_dir` (default: its own temporary folder) past its memory limit.
    """
    import duckdb

    if scale < 1:
        raise ValueError("scale must be a whole number, at least 1")
    merchants = MERCHANTS_PER_SCALE * scale
    width = max(5, len(str(merchants)))
    raw_dir.mkdir(parents=True)
    connection = duckdb.connect()
    try:
        if work_dir is not None:
            connection.execute(f"set temp_directory = '{_quoted(work_dir)}'")
        connection.execute("set enable_progress_bar = false")
        # a year of day folders open at once, each written as one file (up to ~20 million rows buffered;
        # past that DuckDB flushes, and a day gets a file per flush) rather than a file per 512k rows
        connection.execute("set partitioned_write_max_open_files = 1000")
        connection.execute("set partitioned_write_flush_threshold = 20000000")
        chunks = [(first, min(first + TAKINGS_CHUNK_MERCHANTS - 1, merchants))
                  for first in range(1, merchants + 1, TAKINGS_CHUNK_MERCHANTS)]
        # progress in shares of the whole work, as measured at scale 100: the takings are most of it
        progress("Simulating merchants and underwriting", 0.0)
        for statement in _macros(seed) + _reference_tables() + [_merchant_sql(merchants, width)]:
            connection.execute(statement)
        for statement in _underwriting_sql(width):
            connection.execute(statement)
        progress("Simulating card takings", 0.02)
        connection.execute("create table takings (n bigint, day date, pence bigint)")
        for first, last in chunks:
            connection.execute(_takings_sql(first, last))
            progress("Simulating card takings", 0.55 / len(chunks))
        progress("Collecting repayments", 0.0)
        connection.execute(_repayments_sql())
        progress("Writing Parquet", 0.07)
        weights = {"takings_feed__daily_takings": 0.28, "servicing__repayments": 0.06}
        written = []
        for table in RAW_TABLES:
            folder = table.folder(raw_dir)
            folder.mkdir(parents=True)
            progress(f"Writing {table.schema}/{table.identifier}", 0.0)
            connection.execute(_copy_sql(table, _output_queries()[table.identifier], folder))
            glob = _quoted(table.glob(raw_dir))
            (rows,) = connection.execute(f"select count(*) from read_parquet('{glob}')").fetchone() or (0,)
            written.append(Written(table, rows, sum(1 for _ in folder.rglob("*.parquet"))))
            progress(f"Wrote {table.schema}/{table.identifier}", weights.get(table.identifier, 0.0025))
        return written
    finally:
        connection.close()
