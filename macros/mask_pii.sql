{#-
    mask_pii(column): the one way a data product exposes a PII column: a keyed HMAC-SHA-256 (hex) of the
    trimmed, lower-cased value, NULL for NULL (so equal values still join). The key never appears in SQL:
    the warehouse session holds it (see mesh_platform/masking). On DuckDB, `mesh_pii_mask` is a function the
    mesh's dbt-duckdb plugin registers on every connection (profiles.yml), keyed from
    DBT_ENV_SECRET_MESH_PII_KEY; only the demo target generates a key of its own. Lineage stops personal data
    at this call, so compute masked columns with this macro, never by hand.
    On PostgreSQL it is a function made once per database (mesh_masking_setup, below), pgcrypto's HMAC keyed
    by the session setting mesh.pii_key, which the platform passes in PGOPTIONS from the same variable.
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

{#- What mesh_pii_mask needs on the target, made once per database (idempotent): `mesh build` runs it before
    it builds on PostgreSQL; with plain dbt, `dbt run-operation mesh_masking_setup`. -#}
{% macro mesh_masking_setup() -%}
    {% do adapter.dispatch('mesh_masking_setup', 'mesh')() %}
{%- endmacro %}

{% macro default__mesh_masking_setup() -%}
{%- endmacro %}

{% macro postgres__mesh_masking_setup() -%}
    {% call statement('mesh_masking_setup') -%}
    create extension if not exists pgcrypto;
    create or replace function mesh_pii_mask(value text) returns text language plpgsql stable as $mask$
    declare
        key text := current_setting('mesh.pii_key', true);
    begin
        if key is null or length(trim(key)) < 16 then
            raise exception 'no masking key: the session setting mesh.pii_key is not set; mesh passes it in '
                'PGOPTIONS from DBT_ENV_SECRET_MESH_PII_KEY';
        end if;
        if value is null then
            return null;
        end if;
        return encode(hmac(lower(trim(value)), trim(key), 'sha256'), 'hex');
    end
    $mask$
    {%- endcall %}
{%- endmacro %}
