with

advances as (

    select * from {{ ref('int_advances_enriched') }}

),

cohorts as (

    select
        cast(cohort_month as {{ dbt.type_string() }}) || '|' || partner_id as cohort_partner_id,
        cohort_month,
        partner_id,
        partner_name,
        cast(count(*) as integer) as advances_funded,
        cast(sum(funded_amount) as decimal(14, 2)) as funded_amount,
        cast(sum(total_repayable) as decimal(14, 2)) as total_repayable,
        cast(sum(cumulative_repaid) as decimal(14, 2)) as repaid_to_date,
        cast(sum(outstanding_balance) as decimal(14, 2)) as outstanding_balance,
        cast(sum(is_repaid) as integer) as advances_repaid,
        cast(sum(is_in_arrears) as integer) as advances_in_arrears

    from advances
    group by cohort_month, partner_id, partner_name

)

select
    cohort_partner_id,
    cohort_month,
    partner_id,
    partner_name,
    advances_funded,
    funded_amount,
    total_repayable,
    repaid_to_date,
    outstanding_balance,
    cast(round(repaid_to_date / nullif(total_repayable, 0), 4) as decimal(7, 4)) as repaid_pct,
    advances_repaid,
    advances_in_arrears,
    cast(round(1.0 * advances_in_arrears / advances_funded, 4) as decimal(7, 4)) as arrears_rate

from cohorts
