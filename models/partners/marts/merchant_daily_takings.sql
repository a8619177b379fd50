select
    merchant_takings_day_id,
    merchant_id,
    partner_id,
    takings_date,
    gross_amount,
    transaction_count

from {{ ref('int_daily_takings_deduplicated') }}
