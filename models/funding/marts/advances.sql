select
    advance_id,
    application_id,
    decision_id,
    merchant_id,
    funded_at,
    funded_on,
    cohort_month,
    funded_amount,
    factor_rate,
    holdback_rate,
    total_repayable

from {{ ref('int_advances_priced') }}
