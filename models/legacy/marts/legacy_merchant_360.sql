with

merchants as (

    select
        *,
        row_number() over (partition by merchant_id order by updated_at desc) as version_rank
    from {{ source('crm', 'merchants') }}

),

referrals as (

    select * from {{ source('partner_portal', 'referrals') }}

),

takings as (

    select
        merchant_id,
        min(cast(takings_date as date)) as first_takings_date,
        max(cast(takings_date as date)) as last_takings_date,
        avg(gross_amount) as avg_daily_takings

    from {{ source('takings_feed', 'daily_takings') }}
    group by merchant_id

),

applications as (

    select
        merchant_id,
        count(*) as applications
    from {{ source('origination', 'applications') }}
    group by merchant_id

),

advances as (

    select
        merchant_id,
        count(*) as advances,
        sum(funded_amount) as total_funded
    from {{ source('disbursements', 'advances') }}
    group by merchant_id

),

merchant_360 as (

    select
        cast(merchants.merchant_id as {{ dbt.type_string() }}) as merchant_id,
        cast(merchants.business_name as {{ dbt.type_string() }}) as business_name,
        cast(merchants.sector as {{ dbt.type_string() }}) as sector,
        cast(merchants.region as {{ dbt.type_string() }}) as region,
        {{ mask_pii('merchants.email') }} as email_hash,
        cast(referrals.partner_id as {{ dbt.type_string() }}) as partner_id,
        takings.first_takings_date,
        takings.last_takings_date,
        cast(takings.avg_daily_takings as decimal(12, 2)) as avg_daily_takings,
        cast(coalesce(applications.applications, 0) as integer) as applications,
        cast(coalesce(advances.advances, 0) as integer) as advances,
        cast(coalesce(advances.total_funded, 0) as decimal(14, 2)) as total_funded

    from merchants
    left join referrals on merchants.merchant_id = referrals.merchant_id
    left join takings on merchants.merchant_id = takings.merchant_id
    left join applications on merchants.merchant_id = applications.merchant_id
    left join advances on merchants.merchant_id = advances.merchant_id
    where merchants.version_rank = 1

)

select * from merchant_360
