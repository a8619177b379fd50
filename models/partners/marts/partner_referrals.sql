with

referrals as (

    select * from {{ ref('stg_partner_portal__referrals') }}

),

partners as (

    select * from {{ ref('stg_partner_portal__partners') }}

),

joined as (

    select
        referrals.referral_id,
        referrals.partner_id,
        partners.partner_name,
        partners.partner_type,
        referrals.merchant_id,
        referrals.referred_at,
        cast(referrals.referred_at as date) as referred_on,
        referrals.channel

    from referrals
    left join partners on referrals.partner_id = partners.partner_id

)

select * from joined
