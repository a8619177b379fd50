with

repayments as (

    select * from {{ ref('int_repayments_accumulated') }}

),

advances as (

    select
        advance_id,
        merchant_id
    from {{ ref('advances') }}

),

joined as (

    select
        repayments.repayment_id,
        repayments.advance_id,
        advances.merchant_id,
        repayments.collected_on,
        repayments.card_takings_amount,
        repayments.amount,
        cast(repayments.cumulative_repaid as decimal(12, 2)) as cumulative_repaid

    from repayments
    inner join advances on repayments.advance_id = advances.advance_id

)

select * from joined
