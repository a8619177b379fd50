{#-
    mask_pii(column): the one way a data product exposes a PII column. Returns a salted SHA-256 hex digest
    of the trimmed, lower-cased value (so equal values still join), and NULL for NULL. The salt comes from
    the MESH_PII_SALT environment variable; the default serves only the demo data.
-#}
{% macro mask_pii(column_name) -%}
    {{ return(adapter.dispatch('mask_pii', 'mesh')(column_name)) }}
{%- endmacro %}

{% macro default__mask_pii(column_name) -%}
    case when {{ column_name }} is null then null
    else sha2(concat('{{ pii_salt() }}', lower(trim(cast({{ column_name }} as {{ dbt.type_string() }})))), 256) end
{%- endmacro %}

{% macro duckdb__mask_pii(column_name) -%}
    case when {{ column_name }} is null then null
    else sha256(concat('{{ pii_salt() }}', lower(trim(cast({{ column_name }} as {{ dbt.type_string() }}))))) end
{%- endmacro %}

{#- PostgreSQL hashes bytes: the text's UTF-8 bytes, as DuckDB's sha256 hashes them, then spelt in hex. -#}
{% macro postgres__mask_pii(column_name) -%}
    case when {{ column_name }} is null then null
    else encode(sha256(convert_to(
        concat('{{ pii_salt() }}', lower(trim(cast({{ column_name }} as {{ dbt.type_string() }})))), 'UTF8'
    )), 'hex') end
{%- endmacro %}

{% macro pii_salt() -%}
    {{ env_var('MESH_PII_SALT', 'mesh-demo-salt') | replace("'", "''") }}
{%- endmacro %}
