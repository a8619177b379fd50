with

applications as (

    select * from {{ ref('stg_origination__applications') }}

),

banded as (

    select
        application_id,
        referral_id,
        merchant_id,
        submitted_at,
        requested_amount,
        bureau_score,
        case
            when bureau_score >= 760 then 'excellent'
            when bureau_score >= 680 then 'good'
            when bureau_score >= 610 then 'fair'
            when bureau_score >= 560 then 'poor'
            else 'very_poor'
        end as bureau_score_band,
        bureau_provider

    from applications

)

select * from banded
