with

advances as (

    select * from {{ ref('int_advances_joined_to_partners') }}

),

rates as (

    select * from {{ ref('stg_legacy_dwh__partner_commission_rates') }}

),

partners as (

    select * from {{ ref('stg_partner_portal__partners') }}

),

commissioned as (

    select
        advances.partner_id,
        cast({{ dbt.date_trunc('month', 'advances.funded_on') }} as date) as commission_month,
        advances.funded_amount,
        advances.funded_amount * rates.commission_rate as commission_amount

    from advances
    inner join rates
        on advances.partner_id = rates.partner_id
            and advances.funded_on >= rates.valid_from
            and (rates.valid_to is null or advances.funded_on <= rates.valid_to)

),

monthly as (

    select
        commissioned.partner_id || '|' || cast(commissioned.commission_month as {{ dbt.type_string() }})
            as partner_month_id,
        commissioned.partner_id,
        cast(partners.partner_name as {{ dbt.type_string() }}) as partner_name,
        commissioned.commission_month,
        cast(count(*) as integer) as advances_funded,
        cast(sum(commissioned.funded_amount) as decimal(14, 2)) as funded_amount,
        cast(round(sum(commissioned.commission_amount), 2) as decimal(14, 2)) as commission_amount

    from commissioned
    left join partners on commissioned.partner_id = partners.partner_id
    group by commissioned.partner_id, partners.partner_name, commissioned.commission_month

)

select * from monthly
