with

calendar as (

    {{ dbt.date_spine(
        'day',
        "cast('" ~ var('history_start_date') ~ "' as date)",
        dbt.dateadd('day', 1, "cast('" ~ var('as_of_date') ~ "' as date)")
    ) }}

),

advances as (

    select
        advance_id,
        merchant_id,
        cohort_month,
        funded_on,
        total_repayable
    from {{ ref('advances') }}

),

daily_repayments as (

    select
        advance_id,
        collected_on,
        sum(amount) as repaid_amount

    from {{ ref('stg_servicing__repayments') }}
    group by advance_id, collected_on

),

spined as (

    select
        advances.advance_id || '|' || cast(cast(calendar.date_day as date) as {{ dbt.type_string() }})
            as advance_day_id,
        advances.advance_id,
        advances.merchant_id,
        advances.cohort_month,
        advances.funded_on,
        advances.total_repayable,
        cast(calendar.date_day as date) as performance_date,
        coalesce(daily_repayments.repaid_amount, 0) as repaid_amount

    from advances
    inner join calendar
        on cast(calendar.date_day as date) >= advances.funded_on
    left join daily_repayments
        on advances.advance_id = daily_repayments.advance_id
            and cast(calendar.date_day as date) = daily_repayments.collected_on

)

select * from spined
