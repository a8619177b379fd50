select
[% for column in columns %]    [[ column.expression ]][% if not loop.last %],[% endif %]
[% endfor %]
from {{ ref('[[ source_model ]]') }}
