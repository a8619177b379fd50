with

source as (

    select * from {{ source('servicing', 'repayments') }}

),

renamed as (

    select
        cast(repayment_id as {{ dbt.type_string() }}) as repayment_id,
        cast(advance_id as {{ dbt.type_string() }}) as advance_id,
        cast(collected_on as date) as collected_on,
        cast(card_takings_amount as decimal(12, 2)) as card_takings_amount,
        cast(amount as decimal(12, 2)) as amount

    from source

)

select * from renamed
