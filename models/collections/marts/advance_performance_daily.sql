{#-
    Incremental (advance_performance_daily.yml): a nightly builds again only the days from the lookback
    window on; each advance's running totals carry on from its row of the day before them (what it had
    repaid, and the day it last repaid, or was funded: that day less days_since_last_repayment), so the
    rows are those a full build gives. A test checks both give the same rows.
-#}
with

days as (

    select * from {{ ref('int_advance_days_spined') }}
    {%- if is_incremental() %}
        {%- set window_start = incremental_window_start('performance_date') %}
        where performance_date >= {{ window_start }}
    {%- endif %}

),

carried as (

    {%- if is_incremental() %}
        select
            advance_id,
            cumulative_repaid,
            performance_date - days_since_last_repayment as last_repaid_on

        from {{ this }}
        where performance_date = {{ window_start }} - 1
    {%- else %}
        -- a full build starts every advance from nothing
        select
            cast(null as {{ dbt.type_string() }}) as advance_id,
            cast(0 as decimal(12, 2)) as cumulative_repaid,
            cast(null as date) as last_repaid_on

        where false
    {%- endif %}

),

accumulated as (

    select
        days.advance_day_id,
        days.advance_id,
        days.merchant_id,
        days.cohort_month,
        days.performance_date,
        days.funded_on,
        days.repaid_amount,
        coalesce(carried.cumulative_repaid, 0) + sum(days.repaid_amount) over (
            partition by days.advance_id
            order by days.performance_date
            rows between unbounded preceding and current row
        ) as cumulative_repaid,
        coalesce(max(case when days.repaid_amount > 0 then days.performance_date end) over (
            partition by days.advance_id
            order by days.performance_date
            rows between unbounded preceding and current row
        ), carried.last_repaid_on) as last_repaid_on,
        days.total_repayable

    from days
    left join carried on days.advance_id = carried.advance_id

),

measured as (

    select
        advance_day_id,
        advance_id,
        merchant_id,
        cohort_month,
        performance_date,
        cast({{ dbt.datediff('funded_on', 'performance_date', 'day') }} as integer) as days_since_funding,
        cast(repaid_amount as decimal(12, 2)) as repaid_amount,
        cast(cumulative_repaid as decimal(12, 2)) as cumulative_repaid,
        total_repayable,
        cast(total_repayable - cumulative_repaid as decimal(12, 2)) as outstanding_balance,
        cast(round(cumulative_repaid / total_repayable, 4) as decimal(7, 4)) as repaid_pct,
        cast(
            {{ dbt.datediff('coalesce(last_repaid_on, funded_on)', 'performance_date', 'day') }} as integer
        ) as days_since_last_repayment

    from accumulated

),

classified as (

    select
        *,
        case
            when outstanding_balance = 0 then 'repaid'
            when days_since_last_repayment >= {{ var('arrears_after_days') }} then 'in_arrears'
            else 'current'
        end as arrears_status

    from measured

)

select
    advance_day_id,
    advance_id,
    merchant_id,
    cohort_month,
    performance_date,
    days_since_funding,
    repaid_amount,
    cumulative_repaid,
    total_repayable,
    outstanding_balance,
    repaid_pct,
    days_since_last_repayment,
    arrears_status

from classified
