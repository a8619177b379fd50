with

advances as (

    select * from {{ ref('advances') }}

),

referrals as (

    select * from {{ ref('stg_partner_portal__referrals') }}

),

joined as (

    select
        advances.advance_id,
        advances.merchant_id,
        referrals.partner_id,
        advances.funded_on,
        cast(advances.funded_amount as decimal(12, 2)) as funded_amount

    from advances
    left join referrals on advances.merchant_id = referrals.merchant_id

)

select * from joined
