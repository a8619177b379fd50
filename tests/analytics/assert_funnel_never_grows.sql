-- The funnel never grows from one stage to the next: referrals >= applications >= approvals >= funded.
select *
from {{ ref('funnel') }}
where applications > referrals
    or approvals > applications
    or funded > approvals
