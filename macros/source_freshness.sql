{#-
    Source freshness against the business's clock: the newest row of a source is compared with
    mesh_business_now(), the earlier of now and the end of the as-of day (var as_of_date, which
    MESH_AS_OF_DATE moves). In production the as-of day is today, so that is now; on the demo data, which
    ends on 2025-12-31, it is that day's end, so a feed is late when its newest day is older than the as-of
    day allows. dbt's own `source freshness` runs it (this overrides dbt's default for every adapter).
-#}
{% macro default__collect_freshness(source, loaded_at_field, filter) %}
  {% call statement('collect_freshness', fetch_result=True, auto_begin=False) -%}
    select
      max(cast({{ loaded_at_field }} as {{ dbt.type_timestamp() }})) as max_loaded_at,
      {{ mesh_business_now() }} as snapshotted_at
    from {{ source }}
    {% if filter %}
    where {{ filter }}
    {% endif %}
  {% endcall %}
  {{ return(load_result('collect_freshness')) }}
{% endmacro %}

{% macro mesh_business_now() -%}
  least(cast({{ current_timestamp() }} as {{ dbt.type_timestamp() }}),
        cast('{{ var("as_of_date") }} 23:59:59' as {{ dbt.type_timestamp() }}))
{%- endmacro %}
