select
    partner_id,
    partner_name,
    partner_type,
    country_code,
    onboarded_on

from {{ ref('stg_partner_portal__partners') }}
