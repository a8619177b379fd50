-- Repayments add up to the servicing ledger: for every advance, the sum of its repayments equals the
-- ledger's total repaid, and the ledger's total repayable equals funding's amount x factor.
with

repaid as (

    select
        advance_id,
        sum(amount) as total_repaid
    from {{ ref('repayments') }}
    group by advance_id

),

ledger as (

    select * from {{ ref('stg_servicing__ledger_balances') }}

),

advances as (

    select
        advance_id,
        total_repayable
    from {{ ref('advances') }}

)

select
    coalesce(ledger.advance_id, advances.advance_id) as advance_id,
    ledger.total_repaid as ledger_total_repaid,
    coalesce(repaid.total_repaid, 0) as repayments_total,
    ledger.total_repayable as ledger_total_repayable,
    advances.total_repayable as advance_total_repayable

from ledger
full outer join advances on ledger.advance_id = advances.advance_id
left join repaid on coalesce(ledger.advance_id, advances.advance_id) = repaid.advance_id
where ledger.advance_id is null
    or advances.advance_id is null
    or ledger.total_repaid != coalesce(repaid.total_repaid, 0)
    or ledger.total_repayable != advances.total_repayable
