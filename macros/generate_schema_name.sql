{#- A domain's schema is its own name (e.g. `partners`, `raw_partners`), not `<target schema>_<name>`:
    every environment keeps the same schema layout, and each target points at its own database.
    A data test's stored failures (`store_failures`, dbt_project.yml) go to its domain's audit schema,
    `<domain>_audit` (the domain is the folder the test is declared in: models/<domain>/, tests/<domain>/), so the
    failing rows, personal data included, stay in the domain; dbt's default `dbt_test__audit` is one for all. -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if node.resource_type == 'test' and custom_schema_name == 'dbt_test__audit' and node.fqn | length > 2 -%}
        {{ node.fqn[1] }}_audit
    {%- elif custom_schema_name is none -%}
        {{ target.schema }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
