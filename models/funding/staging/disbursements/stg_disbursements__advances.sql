with

source as (

    select * from {{ source('disbursements', 'advances') }}

),

renamed as (

    select
        cast(advance_id as {{ dbt.type_string() }}) as advance_id,
        cast(application_id as {{ dbt.type_string() }}) as application_id,
        cast(decision_id as {{ dbt.type_string() }}) as decision_id,
        cast(merchant_id as {{ dbt.type_string() }}) as merchant_id,
        cast(funded_at as {{ dbt.type_timestamp() }}) as funded_at,
        cast(funded_amount as decimal(12, 2)) as funded_amount,
        cast(factor_rate as decimal(4, 2)) as factor_rate,
        cast(holdback_rate as decimal(4, 2)) as holdback_rate,
        cast(payout_reference as {{ dbt.type_string() }}) as payout_reference

    from source

)

select * from renamed
