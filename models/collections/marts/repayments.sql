{#-
    Incremental (repayments.yml): a full build takes every repayment with its running total from
    int_repayments_accumulated; a nightly builds again only the last days, from staging, each advance's
    running total carrying on from what it had repaid before them. A test checks both give the same rows.
-#}
-- depends_on: {{ ref('stg_servicing__repayments') }}
with

{%- if is_incremental() %}
    {%- set window_start = incremental_window_start('collected_on') %}

    repaid_before as (

        select
            advance_id,
            max(cumulative_repaid) as cumulative_repaid

        from {{ this }}
        where collected_on < {{ window_start }}
        group by advance_id

    ),
{%- endif %}

repayments as (

    {%- if is_incremental() %}
        select
            recent.repayment_id,
            recent.advance_id,
            recent.collected_on,
            recent.card_takings_amount,
            recent.amount,
            coalesce(repaid_before.cumulative_repaid, 0) + sum(recent.amount) over (
                partition by recent.advance_id
                order by recent.collected_on, recent.repayment_id
                rows between unbounded preceding and current row
            ) as cumulative_repaid

        from {{ ref('stg_servicing__repayments') }} as recent
        left join repaid_before on recent.advance_id = repaid_before.advance_id
        where recent.collected_on >= {{ window_start }}
    {%- else %}
        select * from {{ ref('int_repayments_accumulated') }}
    {%- endif %}

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
