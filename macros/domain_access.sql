{#-
    The warehouse side of the access agreements (`mesh access`). One role per domain, `mesh_<domain>` (the name
    mesh_platform.access.grants.role_of gives). The data products' `select` grants are dbt's own `grants` config,
    generated into each product's YAML from its approved agreements; dbt applies them as it builds the product.
    These two hooks (dbt_project.yml) do what dbt's grants cannot:
      mesh_domain_roles()  on-run-start: creates each domain's role (NOLOGIN) when it does not exist yet;
      mesh_domain_access() on-run-end: each domain's role may use and read its own schemas (models and raw
                           data); a role a product grants `select` to may use the product's schema (no object
                           in it is readable without its own grant).
    Only PostgreSQL has roles here: on other engines both render to nothing (DuckDB has no users or grants).
-#}
{% macro mesh_domain_roles() -%}
    {{ return(adapter.dispatch('mesh_domain_roles', 'mesh')()) }}
{%- endmacro %}

{% macro default__mesh_domain_roles() -%}{%- endmacro %}

{% macro postgres__mesh_domain_roles() -%}
    {%- if execute -%}
do $mesh$
begin
    {%- for group in graph.groups.values() | sort(attribute='name') %}
    {%- set role = 'mesh_' ~ group.name %}
    if not exists (select from pg_roles where rolname = '{{ role }}') then
        create role {{ adapter.quote(role) }} nologin;
    end if;
    {%- endfor %}
end
$mesh$
    {%- endif -%}
{%- endmacro %}

{% macro mesh_domain_access() -%}
    {{ return(adapter.dispatch('mesh_domain_access', 'mesh')()) }}
{%- endmacro %}

{% macro default__mesh_domain_access() -%}{%- endmacro %}

{% macro postgres__mesh_domain_access() -%}
    {%- if execute -%}
    {%- set own = {} -%}  {#- schema -> the role of the domain building in it -#}
    {%- set users = {} -%}  {#- schema -> the roles a product in it grants select to -#}
    {%- for node in graph.nodes.values() if node.resource_type in ('model', 'seed', 'snapshot') and node.config.group -%}
        {%- do own.update({node.schema: 'mesh_' ~ node.config.group}) -%}
        {%- for role in (node.config.grants or {}).get('select', []) -%}
            {%- do users.setdefault(node.schema, []).append(role) if role not in users.get(node.schema, []) -%}
        {%- endfor -%}
    {%- endfor -%}
do $mesh$
begin
    {%- for schema in own | sort %}
    if to_regnamespace('{{ schema }}') is not null then
        grant usage on schema {{ adapter.quote(schema) }} to
            {%- for role in [own[schema]] + users.get(schema, []) | sort %} {{ adapter.quote(role) }}{{ ',' if not loop.last }}{% endfor %};
        grant select on all tables in schema {{ adapter.quote(schema) }} to {{ adapter.quote(own[schema]) }};
    end if;
    {%- endfor %}
end
$mesh$
    {%- endif -%}
{%- endmacro %}
