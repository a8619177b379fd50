with

source as (

    select * from {{ source('origination', 'applications') }}

),

renamed as (

    select
        cast(application_id as {{ dbt.type_string() }}) as application_id,
        cast(referral_id as {{ dbt.type_string() }}) as referral_id,
        cast(merchant_id as {{ dbt.type_string() }}) as merchant_id,
        cast(submitted_at as {{ dbt.type_timestamp() }}) as submitted_at,
        cast(requested_amount as decimal(12, 2)) as requested_amount,
        cast(bureau_score as integer) as bureau_score,
        cast(bureau_provider as {{ dbt.type_string() }}) as bureau_provider

    from source

)

select * from renamed
