{#-
    pii_masked: every non-null value of a PII column is a masked digest (64 hex characters, as written by
    mask_pii), never a raw value such as an e-mail address, a phone number or a name.
-#}
{% test pii_masked(model, column_name) %}
select {{ column_name }} as unmasked_value
from {{ model }}
where {{ column_name }} is not null
  and not {{ mesh.regex_matches(column_name, '[0-9a-f]{64}') }}
{% endtest %}
