{#-
    postgres__load_csv_rows: dbt's loader (batches of `insert ... values` with bound parameters), with each
    batch's placeholders written once. dbt's own renders them cell by cell, a macro call for each, 490,000
    on the 81k-row takings seed: it took 100 s to load; with the placeholders written once, about 10 s.
-#}
{% macro postgres__load_csv_rows(model, agate_table) %}
    {%- set cols_sql = get_seed_column_quoted_csv(model, agate_table.column_names) -%}
    {%- set row_sql = '(' ~ ([get_binding_char()] * agate_table.column_names | length) | join(', ') ~ ')' -%}
    {%- set statements = [] -%}
    {%- for chunk in agate_table.rows | batch(get_batch_size()) -%}
        {%- set bindings = [] -%}
        {%- for row in chunk -%}
            {%- do bindings.extend(row) -%}
        {%- endfor -%}
        {%- set sql -%}
            insert into {{ this.render() }} ({{ cols_sql }}) values {{ ([row_sql] * chunk | length) | join(', ') }}
        {%- endset -%}
        {%- do adapter.add_query(sql, bindings=bindings, abridge_sql_log=True) -%}
        {%- if loop.first -%}
            {%- do statements.append(sql) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(statements[0]) }}
{% endmacro %}
