with

source as (

    select * from {{ source('partner_portal', 'partners') }}

),

renamed as (

    select
        cast(partner_id as {{ dbt.type_string() }}) as partner_id,
        cast(partner_name as {{ dbt.type_string() }}) as partner_name,
        cast(partner_type as {{ dbt.type_string() }}) as partner_type,
        cast(country_code as {{ dbt.type_string() }}) as country_code,
        cast(onboarded_on as date) as onboarded_on

    from source

)

select * from renamed
