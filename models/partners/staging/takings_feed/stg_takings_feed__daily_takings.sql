with

source as (

    select * from {{ source('takings_feed', 'daily_takings') }}

),

renamed as (

    select
        cast(merchant_id as {{ dbt.type_string() }}) || '|'
        || cast(cast(takings_date as date) as {{ dbt.type_string() }}) || '|'
        || cast(cast(received_at as {{ dbt.type_timestamp() }}) as {{ dbt.type_string() }})
            as takings_receipt_id,
        cast(merchant_id as {{ dbt.type_string() }}) as merchant_id,
        cast(partner_id as {{ dbt.type_string() }}) as partner_id,
        cast(takings_date as date) as takings_date,
        cast(gross_amount as decimal(12, 2)) as gross_amount,
        cast(transaction_count as integer) as transaction_count,
        cast(received_at as {{ dbt.type_timestamp() }}) as received_at

    from source

)

select * from renamed
