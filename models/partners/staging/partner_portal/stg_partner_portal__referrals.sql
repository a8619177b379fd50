with

source as (

    select * from {{ source('partner_portal', 'referrals') }}

),

renamed as (

    select
        cast(referral_id as {{ dbt.type_string() }}) as referral_id,
        cast(partner_id as {{ dbt.type_string() }}) as partner_id,
        cast(merchant_id as {{ dbt.type_string() }}) as merchant_id,
        cast(referred_at as {{ dbt.type_timestamp() }}) as referred_at,
        cast(channel as {{ dbt.type_string() }}) as channel

    from source

)

select * from renamed
