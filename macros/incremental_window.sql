{#-
    incremental_window_start(date_column): on an incremental run, the first day to build again: the latest
    day already in the model less `incremental_lookback_days` (so rows that arrive late, such as a re-sent
    takings file, are taken), or `history_start_date` when the model is empty. Rendered as a date literal,
    so the filter prunes the day folders of Parquet sources and the zone maps of tables when the query is
    planned. Use it inside `{% if is_incremental() %}` only: it reads {{ this }}.
-#}
{% macro incremental_window_start(date_column) -%}
    {%- set first_day = var('history_start_date') -%}
    {%- if execute -%}
        {%- set latest = run_query(
            'select cast(max(' ~ date_column ~ ') - ' ~ (var('incremental_lookback_days') | int)
            ~ ' as ' ~ dbt.type_string() ~ ') from ' ~ this
        ).columns[0].values()[0] -%}
        {%- if latest -%}{%- set first_day = latest -%}{%- endif -%}
    {%- endif -%}
    cast('{{ first_day }}' as date)
{%- endmacro %}
