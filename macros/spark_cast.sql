{#-
    spark__cast(field, type): dbt's cast, with a bare `varchar` spelt `string`. The contracts type text as
    `varchar`, as DuckDB describes it; Spark takes varchar only with a length, and its text type is string.
    dbt casts each contract column with this macro when it checks a contract (get_empty_schema_sql).
-#}
{% macro spark__cast(field, type) -%}
    cast({{ field }} as {{ 'string' if type | trim | lower == 'varchar' else type }})
{%- endmacro %}
