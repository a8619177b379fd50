select
    merchant_id,
    business_name,
    sector,
    region,
    incorporated_on,
    {{ mask_pii('director_name') }} as director_name_hash,
    {{ mask_pii('email') }} as email_hash,
    {{ mask_pii('phone') }} as phone_hash,
    updated_at

from {{ ref('int_merchants_deduplicated') }}
