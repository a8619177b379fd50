with

advances as (

    select * from {{ source('disbursements', 'advances') }}

),

merchants as (

    select
        merchant_id,
        business_name,
        sector,
        row_number() over (
            partition by merchant_id order by updated_at desc
        ) as version_rank
    from {{ source('crm', 'merchants') }}

),

referrals as (

    select * from {{ source('partner_portal', 'referrals') }}

),

partners as (

    select * from {{ source('partner_portal', 'partners') }}

),

applications as (

    select * from {{ source('origination', 'applications') }}

),

decisions as (

    select * from {{ source('decision_engine', 'risk_decisions') }}

),

ledger as (

    select * from {{ source('servicing', 'ledger_balances') }}

),

loan_book as (

    select
        cast(advances.advance_id as {{ dbt.type_string() }}) as advance_id,
        cast(advances.merchant_id as {{ dbt.type_string() }}) as merchant_id,
        cast(merchants.business_name as {{ dbt.type_string() }}) as business_name,
        cast(merchants.sector as {{ dbt.type_string() }}) as sector,
        cast(referrals.partner_id as {{ dbt.type_string() }}) as partner_id,
        cast(partners.partner_name as {{ dbt.type_string() }}) as partner_name,
        cast(advances.application_id as {{ dbt.type_string() }}) as application_id,
        cast(applications.bureau_score as integer) as bureau_score,
        cast(decisions.risk_grade as {{ dbt.type_string() }}) as risk_grade,
        cast(advances.funded_at as date) as funded_on,
        cast(advances.funded_amount as decimal(12, 2)) as funded_amount,
        cast(advances.factor_rate as decimal(4, 2)) as factor_rate,
        cast(advances.holdback_rate as decimal(4, 2)) as holdback_rate,
        cast(ledger.total_repayable as decimal(12, 2)) as total_repayable,
        cast(ledger.total_repaid as decimal(12, 2)) as total_repaid,
        cast(ledger.outstanding_balance as decimal(12, 2)) as outstanding_balance,
        case when ledger.outstanding_balance = 0 then 'repaid' else 'live' end as loan_status

    from advances
    left join merchants on advances.merchant_id = merchants.merchant_id and merchants.version_rank = 1
    left join referrals on advances.merchant_id = referrals.merchant_id
    left join partners on referrals.partner_id = partners.partner_id
    left join applications on advances.application_id = applications.application_id
    left join decisions on advances.decision_id = decisions.decision_id
    left join ledger on advances.advance_id = ledger.advance_id

)

select * from loan_book
