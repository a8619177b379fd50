select
    merchant_takings_day_id,
    merchant_id,
    partner_id,
    takings_date,
    gross_amount,
    transaction_count

from {{ ref('int_daily_takings_deduplicated') }}
{% if is_incremental() %}
    -- a nightly builds again only the last days (incremental_window_start), merged in by the key
    where takings_date >= {{ incremental_window_start('takings_date') }}
{% endif %}
