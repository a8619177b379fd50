{#-
    mask_pii(column): the one way a data product exposes a PII column: a keyed HMAC-SHA-256 (hex) of the
    trimmed, lower-cased value, NULL for NULL (so equal values still join). The key never appears in SQL:
    the warehouse session holds it (see mesh_platform/masking). On DuckDB, `mesh_pii_mask` is a function the
    mesh's dbt-duckdb plugin registers on every connection (profiles.yml), keyed from
    DBT_ENV_SECRET_MESH_PII_KEY; only the demo target generates a key of its own. Lineage stops personal data
    at this call, so compute masked columns with this macro, never by hand.
-#}
{% macro mask_pii(column_name) -%}
    {{ return(adapter.dispatch('mask_pii', 'mesh')(column_name)) }}
{%- endmacro %}

{% macro default__mask_pii(column_name) -%}
    mesh_pii_mask(cast({{ column_name }} as {{ dbt.type_string() }}))
{%- endmacro %}

{#- Spark has no HMAC function: a keyed hash nested twice (no length extension), the key a session setting
    that Spark substitutes when it parses the statement (so compiled SQL holds only its name). -#}
{% macro spark__mask_pii(column_name) -%}
    case when {{ column_name }} is null then null
    else sha2(concat('${spark.mesh.pii_key}', sha2(concat('${spark.mesh.pii_key}',
        lower(trim(cast({{ column_name }} as string)))), 256)), 256) end
{%- endmacro %}
