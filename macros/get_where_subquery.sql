{#-
    Data tests on the large daily facts test only the nightly's window when `test_window_days` is set
    (MESH_TEST_WINDOW_DAYS): a model whose meta names its `day_column` is tested on the rows from
    `as_of_date` less that many days on, the days an incremental nightly builds again. A full refresh, or
    the variable unset (the default), tests every row. A test's own `where` config still applies. This is
    dbt's documented hook for a dynamic `where` (the get_where_subquery macro).
-#}
{% macro get_where_subquery(relation) -%}
    {%- set filters = [] -%}
    {%- if config.get('where') -%}
        {%- do filters.append('(' ~ config.get('where') ~ ')') -%}
    {%- endif -%}
    {%- set window = nightly_test_window() -%}
    {%- if window -%}
        {%- do filters.append(window) -%}
    {%- endif -%}
    {%- if filters -%}
        {%- do return('(select * from ' ~ relation ~ ' where ' ~ filters | join(' and ') ~ ') dbt_subquery') -%}
    {%- endif -%}
    {%- do return(relation) -%}
{%- endmacro %}

{#- The window filter for the model the current test is attached to, or '' when every row is tested. -#}
{% macro nightly_test_window() -%}
    {%- set days = var('test_window_days', '') | string | trim -%}
    {%- if not days or flags.FULL_REFRESH or not execute -%}
        {%- do return('') -%}
    {%- endif -%}
    {%- set tested = graph.nodes.get(model.get('attached_node') or '', {}) -%}
    {%- set day_column = tested.get('config', {}).get('meta', {}).get('day_column') -%}
    {%- if not day_column -%}
        {%- do return('') -%}
    {%- endif -%}
    {%- set first_day = dbt.dateadd('day', -(days | int), "cast('" ~ var('as_of_date') ~ "' as date)") -%}
    {%- do return(day_column ~ ' >= ' ~ first_day) -%}
{%- endmacro %}
