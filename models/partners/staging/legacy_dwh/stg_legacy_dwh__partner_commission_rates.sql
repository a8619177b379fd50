with

source as (

    select * from {{ source('legacy_dwh', 'partner_commission_rates') }}

),

renamed as (

    select
        cast(partner_id as {{ dbt.type_string() }}) || '|'
        || cast(cast(valid_from as date) as {{ dbt.type_string() }})
            as partner_rate_period_id,
        cast(partner_id as {{ dbt.type_string() }}) as partner_id,
        cast(valid_from as date) as valid_from,
        cast(valid_to as date) as valid_to,
        cast(commission_rate as decimal(5, 3)) as commission_rate

    from source

)

select * from renamed
