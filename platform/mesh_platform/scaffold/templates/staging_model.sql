with

source as (

    select * from {{ source('[[ source ]]', '[[ table ]]') }}

),

renamed as (

    select
        cast(example_id as {{ dbt.type_string() }}) as example_id,
        cast(example_name as {{ dbt.type_string() }}) as example_name,
        cast(created_at as {{ dbt.type_timestamp() }}) as created_at

    from source

)

select * from renamed
