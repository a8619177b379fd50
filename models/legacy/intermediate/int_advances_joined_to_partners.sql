with

advances as (

    select * from {{ source('disbursements', 'advances') }}

),

referrals as (

    select * from {{ source('partner_portal', 'referrals') }}

),

joined as (

    select
        cast(advances.advance_id as {{ dbt.type_string() }}) as advance_id,
        cast(advances.merchant_id as {{ dbt.type_string() }}) as merchant_id,
        cast(referrals.partner_id as {{ dbt.type_string() }}) as partner_id,
        cast(advances.funded_at as date) as funded_on,
        cast(advances.funded_amount as decimal(12, 2)) as funded_amount

    from advances
    left join referrals on advances.merchant_id = referrals.merchant_id

)

select * from joined
