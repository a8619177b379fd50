with

repayments as (

    select * from {{ ref('stg_servicing__repayments') }}

),

accumulated as (

    select
        repayment_id,
        advance_id,
        collected_on,
        card_takings_amount,
        amount,
        sum(amount) over (
            partition by advance_id
            order by collected_on, repayment_id
            rows between unbounded preceding and current row
        ) as cumulative_repaid

    from repayments

)

select * from accumulated
