with

advances as (

    select * from {{ ref('advances') }}

),

referrals as (

    select
        merchant_id,
        partner_id,
        partner_name
    from {{ ref('partner_referrals') }}

),

as_of_positions as (

    select * from {{ ref('advance_performance_daily') }}
    where performance_date = cast('{{ var("as_of_date") }}' as date)

),

enriched as (

    select
        advances.advance_id,
        advances.cohort_month,
        referrals.partner_id,
        referrals.partner_name,
        advances.funded_amount,
        advances.total_repayable,
        as_of_positions.cumulative_repaid,
        as_of_positions.outstanding_balance,
        case when as_of_positions.arrears_status = 'repaid' then 1 else 0 end as is_repaid,
        case when as_of_positions.arrears_status = 'in_arrears' then 1 else 0 end as is_in_arrears

    from advances
    inner join referrals on advances.merchant_id = referrals.merchant_id
    inner join as_of_positions on advances.advance_id = as_of_positions.advance_id

)

select * from enriched
