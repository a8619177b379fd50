with

referrals as (

    select * from {{ ref('partner_referrals') }}

),

applications as (

    select
        application_id,
        referral_id
    from {{ ref('applications') }}

),

approvals as (

    select application_id from {{ ref('risk_decisions') }}
    where outcome = 'approved'

),

advances as (

    select application_id from {{ ref('advances') }}

),

stages as (

    select
        referrals.referral_id,
        referrals.partner_id,
        cast({{ dbt.date_trunc('month', 'referrals.referred_on') }} as date) as referral_month,
        max(case when applications.application_id is not null then 1 else 0 end) as applied,
        max(case when approvals.application_id is not null then 1 else 0 end) as approved,
        max(
            case
                when advances.application_id is not null and approvals.application_id is not null then 1
                else 0
            end
        ) as was_funded

    from referrals
    left join applications on referrals.referral_id = applications.referral_id
    left join approvals on applications.application_id = approvals.application_id
    left join advances on approvals.application_id = advances.application_id
    group by referrals.referral_id, referrals.partner_id, referrals.referred_on

),

monthly as (

    select
        cast(referral_month as {{ dbt.type_string() }}) || '|' || partner_id as funnel_id,
        referral_month,
        partner_id,
        cast(count(*) as integer) as referrals,
        cast(sum(applied) as integer) as applications,
        cast(sum(approved) as integer) as approvals,
        cast(sum(was_funded) as integer) as funded

    from stages
    group by referral_month, partner_id

)

select
    funnel_id,
    referral_month,
    partner_id,
    referrals,
    applications,
    approvals,
    funded,
    cast(round(1.0 * applications / referrals, 4) as decimal(7, 4)) as application_rate,
    cast(round(1.0 * approvals / nullif(applications, 0), 4) as decimal(7, 4)) as approval_rate,
    cast(round(1.0 * funded / nullif(approvals, 0), 4) as decimal(7, 4)) as funding_rate

from monthly
