{#-
    spark__load_csv_rows: Spark reads a seed's CSV file itself (as dbt-duckdb's COPY does), each column cast
    to the type its seed table was created with. dbt-spark's own loader sends the rows as batches of
    `insert ... values` and asks agate for a column's type for every cell, each ask scanning the whole
    column: the 81k-row takings seed did not load in 10 minutes; with the types asked once it took 44 s.
-#}
{% macro spark__load_csv_rows(model, agate_table) %}
    {%- set column_override = model['config'].get('column_types', {}) -%}
    {%- set csv_view = this.identifier ~ '__csv' -%}
    {%- set read_sql -%}
        create or replace temporary view {{ csv_view }}
        using csv options (
            path '{{ model.root_path }}/{{ model.original_file_path }}',
            header 'true', delimiter '{{ config.get("delimiter", ",") }}', escape '"', multiLine 'true'
        )
    {%- endset -%}
    {%- set insert_sql -%}
        insert into {{ this.render() }}
        select
        {%- for column_name in agate_table.column_names %}
            cast(`{{ column_name }}` as {{ column_override.get(column_name, adapter.convert_type(agate_table, loop.index0)) }})
            {{- "," if not loop.last }}
        {%- endfor %}
        from {{ csv_view }}
    {%- endset -%}
    {%- do adapter.add_query(read_sql) -%}
    {%- do adapter.add_query(insert_sql, abridge_sql_log=True) -%}
    {%- do adapter.add_query("drop view " ~ csv_view) -%}
    {{ return(insert_sql) }}
{% endmacro %}
