-- No advance is ever repaid more than amount x factor: collections stop at the total repayable.
select
    advances.advance_id,
    advances.total_repayable,
    sum(repayments.amount) as total_repaid

from {{ ref('advances') }} as advances
inner join {{ ref('repayments') }} as repayments on advances.advance_id = repayments.advance_id
group by advances.advance_id, advances.total_repayable
having sum(repayments.amount) > advances.total_repayable
