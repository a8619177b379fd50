with

source as (

    select * from {{ source('servicing', 'ledger_balances') }}

),

renamed as (

    select
        cast(advance_id as {{ dbt.type_string() }}) as advance_id,
        cast(as_of_date as date) as as_of_date,
        cast(total_repayable as decimal(12, 2)) as total_repayable,
        cast(total_repaid as decimal(12, 2)) as total_repaid,
        cast(outstanding_balance as decimal(12, 2)) as outstanding_balance

    from source

)

select * from renamed
