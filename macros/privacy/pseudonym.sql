{#-
    The pseudonymous key of an identifier: HMAC-SHA256 under the project secret, over
    '<domain>:<value>' (domains keep a NIK and an IDBDT with the same digits apart), as 32 hex
    characters (128 bits). Null when the value is null. The secret reaches the engine through the
    dbt-duckdb plugin scripts/dbt_plugins/pseudonym_key.py, never through SQL text.
-#}
{% macro pseudonym(expression, domain) -%}
    {{ return(adapter.dispatch('pseudonym', 'bdt_warehouse')(expression, domain)) }}
{%- endmacro %}

{% macro default__pseudonym(expression, domain) -%}
    case when {{ expression }} is not null then left(sha256(
        unhex(getvariable('bdt_hmac_opad'))
        || unhex(sha256(unhex(getvariable('bdt_hmac_ipad')) || encode('{{ domain }}:' || {{ expression }})))
    ), 32) end
{%- endmacro %}
