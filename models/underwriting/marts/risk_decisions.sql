with

decisions as (

    select * from {{ ref('stg_decision_engine__risk_decisions') }}

),

applications as (

    select * from {{ ref('int_applications_banded') }}

),

priced as (

    select
        decisions.decision_id,
        decisions.application_id,
        applications.merchant_id,
        decisions.decided_at,
        decisions.outcome,
        decisions.risk_grade,
        decisions.advance_amount,
        decisions.factor_rate,
        decisions.holdback_rate,
        cast(round(decisions.advance_amount * decisions.factor_rate, 2) as decimal(12, 2)) as total_repayable,
        decisions.decline_reason

    from decisions
    inner join applications on decisions.application_id = applications.application_id

)

select * from priced
