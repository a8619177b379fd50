with

source as (

    select * from {{ source('crm', 'merchants') }}

),

renamed as (

    select
        cast(merchant_id as {{ dbt.type_string() }}) || '|'
        || cast(cast(updated_at as {{ dbt.type_timestamp() }}) as {{ dbt.type_string() }})
            as merchant_version_id,
        cast(merchant_id as {{ dbt.type_string() }}) as merchant_id,
        cast(business_name as {{ dbt.type_string() }}) as business_name,
        cast(sector as {{ dbt.type_string() }}) as sector,
        cast(region as {{ dbt.type_string() }}) as region,
        cast(incorporated_on as date) as incorporated_on,
        cast(director_name as {{ dbt.type_string() }}) as director_name,
        cast(email as {{ dbt.type_string() }}) as email,
        cast(phone as {{ dbt.type_string() }}) as phone,
        cast(updated_at as {{ dbt.type_timestamp() }}) as updated_at

    from source

)

select * from renamed
