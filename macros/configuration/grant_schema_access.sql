{#-
    PostgreSQL, at the end of every run: the BI role (env BDT_BI_ROLE, default bdt_bi, created by
    the database administrator) may use the BI-facing schemas (marts, quality, reference, audit;
    table privileges come from the dbt `grants` config), and nobody but the owner may use the
    restricted schemas (staging, intermediate, identity, restricted_audit, raw). The grants are
    on the build's schemas and follow them when they are renamed into place. Schemas a partial
    run has not created yet are skipped. A no-op on DuckDB, whose restricted zone is separate
    database files.
-#}
{% macro grant_schema_access() -%}
    {%- if target.type == 'postgres' -%}
        {%- set bi_role = env_var('BDT_BI_ROLE', 'bdt_bi') -%}
        {%- set bi_schemas = [] -%}
        {%- for name in ['marts', 'quality', 'reference', 'audit'] -%}
            {%- do bi_schemas.append(generate_schema_name(name, none) | trim) -%}
        {%- endfor -%}
        {%- set restricted_schemas = ['raw'] -%}
        {%- for name in ['staging', 'intermediate', 'identity', 'restricted_audit'] -%}
            {%- do restricted_schemas.append(generate_schema_name(name, none) | trim) -%}
        {%- endfor %}
    do $grants$
    begin
        {%- for schema in bi_schemas %}
        if exists (select 1 from pg_namespace where nspname = '{{ schema }}') then
            execute 'grant usage on schema {{ adapter.quote(schema) }} to {{ adapter.quote(bi_role) }}';
        end if;
        {%- endfor %}
        {%- for schema in restricted_schemas %}
        if exists (select 1 from pg_namespace where nspname = '{{ schema }}') then
            execute 'revoke all on schema {{ adapter.quote(schema) }} from public';
        end if;
        {%- endfor %}
    end
    $grants$
    {%- else -%}
    select 1 as no_schema_grants_on_{{ target.type }}
    {%- endif -%}
{%- endmacro %}
