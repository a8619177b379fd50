with

month_ends as (

    select
        cohort_month,
        cast((days_since_funding + 1) / 30 as integer) as months_since_funding,
        total_repayable,
        cumulative_repaid

    from {{ ref('advance_performance_daily') }}
    where (days_since_funding + 1) % 30 = 0

),

curves as (

    select
        cast(cohort_month as {{ dbt.type_string() }}) || '|'
        || cast(months_since_funding as {{ dbt.type_string() }}) as curve_point_id,
        cohort_month,
        months_since_funding,
        cast(count(*) as integer) as advances,
        cast(sum(total_repayable) as decimal(14, 2)) as total_repayable,
        cast(sum(cumulative_repaid) as decimal(14, 2)) as cumulative_repaid

    from month_ends
    group by cohort_month, months_since_funding

)

select
    curve_point_id,
    cohort_month,
    months_since_funding,
    advances,
    total_repayable,
    cumulative_repaid,
    cast(round(cumulative_repaid / total_repayable, 4) as decimal(7, 4)) as cumulative_repaid_pct

from curves
