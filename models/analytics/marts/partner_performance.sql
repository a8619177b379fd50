with

partners as (

    select * from {{ ref('partners') }}

),

referrals as (

    select
        partner_id,
        count(*) as referrals
    from {{ ref('partner_referrals') }}
    group by partner_id

),

advances as (

    select
        partner_id,
        count(*) as advances_funded,
        sum(funded_amount) as funded_amount,
        sum(total_repayable) as total_repayable,
        sum(cumulative_repaid) as repaid,
        sum(is_in_arrears) as advances_in_arrears

    from {{ ref('int_advances_enriched') }}
    group by partner_id

),

commissions as (

    select
        partner_id,
        sum(commission_amount) as commission_amount
    from {{ ref('partner_commissions') }}
    group by partner_id

),

performance as (

    select
        partners.partner_id,
        partners.partner_name,
        partners.partner_type,
        cast(coalesce(referrals.referrals, 0) as integer) as referrals,
        cast(coalesce(advances.advances_funded, 0) as integer) as advances_funded,
        cast(
            round(1.0 * coalesce(advances.advances_funded, 0) / nullif(referrals.referrals, 0), 4)
            as decimal(7, 4)
        ) as referral_to_funded_rate,
        cast(coalesce(advances.funded_amount, 0) as decimal(14, 2)) as funded_amount,
        cast(round(advances.repaid / nullif(advances.total_repayable, 0), 4) as decimal(7, 4)) as repaid_pct,
        cast(
            round(1.0 * advances.advances_in_arrears / nullif(advances.advances_funded, 0), 4)
            as decimal(7, 4)
        ) as arrears_rate,
        cast(coalesce(commissions.commission_amount, 0) as decimal(14, 2)) as commission_amount

    from partners
    left join referrals on partners.partner_id = referrals.partner_id
    left join advances on partners.partner_id = advances.partner_id
    left join commissions on partners.partner_id = commissions.partner_id

)

select
    *,
    cast(round(commission_amount / nullif(funded_amount, 0), 4) as decimal(7, 4)) as commission_pct_of_funded

from performance
