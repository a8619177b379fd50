with

versions as (

    select * from {{ ref('stg_crm__merchants') }}

),

ranked as (

    select
        *,
        row_number() over (partition by merchant_id order by updated_at desc) as version_rank

    from versions

),

current_versions as (

    select
        merchant_id,
        business_name,
        sector,
        region,
        incorporated_on,
        director_name,
        email,
        phone,
        updated_at

    from ranked
    where version_rank = 1

)

select * from current_versions
