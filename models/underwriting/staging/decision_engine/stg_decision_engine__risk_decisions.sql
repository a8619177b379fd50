with

source as (

    select * from {{ source('decision_engine', 'risk_decisions') }}

),

renamed as (

    select
        cast(decision_id as {{ dbt.type_string() }}) as decision_id,
        cast(application_id as {{ dbt.type_string() }}) as application_id,
        cast(decided_at as {{ dbt.type_timestamp() }}) as decided_at,
        cast(outcome as {{ dbt.type_string() }}) as outcome,
        cast(risk_grade as {{ dbt.type_string() }}) as risk_grade,
        cast(advance_amount as decimal(12, 2)) as advance_amount,
        cast(factor_rate as decimal(4, 2)) as factor_rate,
        cast(holdback_rate as decimal(4, 2)) as holdback_rate,
        cast(nullif(cast(decline_reason as {{ dbt.type_string() }}), '') as {{ dbt.type_string() }})
            as decline_reason

    from source

)

select * from renamed
