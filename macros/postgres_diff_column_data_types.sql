{#-
    postgres__diff_column_data_types: dbt's comparison of an incremental model's new rows with its table
    (on_schema_change), where `text` and a `character varying` without a length are one type, as they are
    in PostgreSQL. The contracts type text as `varchar`, so the table's columns are `character varying`;
    the rows a nightly builds come typed `text` (seeds load text as text, `concat` and literals give text).
    Without this every nightly of the incremental products failed `on_schema_change: fail`.
-#}
{% macro postgres__diff_column_data_types(source_columns, target_columns) %}
    {%- set unbounded_text = ['text', 'character varying'] -%}
    {%- set changes = [] -%}
    {%- for change in dbt.default__diff_column_data_types(source_columns, target_columns) -%}
        {%- set target = target_columns | selectattr('name', 'equalto', change.column_name) | first -%}
        {%- if not (change.new_type in unbounded_text and target.data_type in unbounded_text) -%}
            {%- do changes.append(change) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(changes) }}
{% endmacro %}
