{#- A domain's schema is its own name (e.g. `partners`, `raw_partners`), not `<target schema>_<name>`:
    every environment keeps the same schema layout, and each target points at its own database. -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
