-- Scaffolded from the product's ODCS contract: the columns, their order and their types are the contract's.
-- Replace the placeholder with the product's query over the domain's models, and each typed null with the
-- column's expression; personal data stays masked with mask_pii().
with placeholder as (

    select 1 as no_rows_yet
    where false

)

select
[% for column in columns %]    [[ column.expression ]][% if not loop.last %],[% endif %]
[% endfor %]
from placeholder
