select
    application_id,
    referral_id,
    merchant_id,
    submitted_at,
    requested_amount,
    bureau_score,
    bureau_score_band,
    bureau_provider

from {{ ref('int_applications_banded') }}
