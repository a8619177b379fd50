with

advances as (

    select * from {{ ref('stg_disbursements__advances') }}

),

priced as (

    select
        advance_id,
        application_id,
        decision_id,
        merchant_id,
        funded_at,
        cast(funded_at as date) as funded_on,
        cast({{ dbt.date_trunc('month', 'funded_at') }} as date) as cohort_month,
        funded_amount,
        factor_rate,
        holdback_rate,
        cast(round(funded_amount * factor_rate, 2) as decimal(12, 2)) as total_repayable

    from advances

)

select * from priced
