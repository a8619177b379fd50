{#-
    dbt's `grants` config (generated from the access agreements, see domain_access.sql) is applied on
    PostgreSQL. DuckDB has no users or grants (dbt-duckdb only warns), and local Spark has no access control
    (dbt-spark would run `show grants`, which it refuses): on both, applying grants is a silent no-op.
-#}
{% macro duckdb__apply_grants(relation, grant_config, should_revoke=True) -%}{%- endmacro %}

{% macro spark__apply_grants(relation, grant_config, should_revoke=True) -%}{%- endmacro %}
