{#-
    mesh_drop_orphans(schemas, keep, dry_run): the relations in `schemas` (the platform's own: the ones the
    project's nodes are built in) that are not in `keep` (`schema.identifier`, lower-cased: every relation a
    node of the project owns), dropped unless `dry_run`. What it found is logged as one line starting with
    `mesh-orphans:` (JSON), which `mesh nightly` reads. Called by the platform (`dbt run-operation`), never by
    a model; schemas it is not given are never looked at.
-#}
{% macro mesh_drop_orphans(schemas, keep, dry_run=false) -%}
    {%- set found = [] -%}
    {%- for schema in schemas -%}
        {%- set schema_relation = api.Relation.create(database=target.database, schema=schema) -%}
        {%- for row in list_relations_without_caching(schema_relation) -%}
            {%- set key = (row['schema'] ~ '.' ~ row['name']) | lower -%}
            {%- if key not in keep -%}
                {%- do found.append({'relation': key, 'type': row['type'] | string}) -%}
                {%- if not dry_run -%}
                    {%- do adapter.drop_relation(api.Relation.create(database=row['database'], schema=row['schema'],
                                                                     identifier=row['name'], type=row['type'])) -%}
                {%- endif -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endfor -%}
    {%- if found and not dry_run -%}
        {%- do adapter.commit() -%}
    {%- endif -%}
    {%- do log('mesh-orphans:' ~ tojson(found), info=true) -%}
{%- endmacro %}
