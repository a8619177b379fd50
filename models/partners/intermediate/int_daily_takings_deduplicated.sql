with

takings as (

    select * from {{ ref('stg_takings_feed__daily_takings') }}

),

ranked as (

    select
        *,
        row_number() over (
            partition by merchant_id, takings_date
            order by received_at desc
        ) as file_rank

    from takings

),

deduplicated as (

    select
        merchant_id || '|' || cast(takings_date as {{ dbt.type_string() }}) as merchant_takings_day_id,
        merchant_id,
        partner_id,
        takings_date,
        gross_amount,
        transaction_count,
        received_at

    from ranked
    where file_rank = 1

)

select * from deduplicated
