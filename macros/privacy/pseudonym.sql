{#-
    The pseudonymous key of an identifier: HMAC-SHA256 under the project secret, over
    '<domain>:<value>' (domains keep a NIK and an IDBDT with the same digits apart), truncated to
    128 bits and typed UUID (16 bytes: half the storage of its hex text, faster joins). Null when the value is null. The secret never appears in SQL text: it
    reaches DuckDB through the dbt-duckdb plugin scripts/dbt_plugins/pseudonym_key.py (session
    variables), PostgreSQL through PGOPTIONS (settings bdt.hmac_ipad / bdt.hmac_opad, printed by
    `python -m scripts.dbt_plugins.pseudonym_key --pgoptions`), Spark through the session settings
    spark.bdt.hmac_ipad / _opad (profiles.yml), which Spark substitutes for ${...} in the
    statement it receives (dbt's text, logs and target/ keep the reference only). Spark has no
    UUID type: there the key is the UUID's text (8-4-4-4-12 lower-case hex), equal to DuckDB's
    and PostgreSQL's uuid cast to text.
-#}
{% macro pseudonym(expression, domain) -%}
    {{ return(adapter.dispatch('pseudonym', 'bdt_warehouse')(expression, domain)) }}
{%- endmacro %}

{% macro default__pseudonym(expression, domain) -%}
    case when {{ expression }} is not null then cast(left(sha256(
        unhex(getvariable('bdt_hmac_opad'))
        || unhex(sha256(unhex(getvariable('bdt_hmac_ipad')) || encode('{{ domain }}:' || {{ expression }})))
    ), 32) as uuid) end
{%- endmacro %}

{% macro postgres__pseudonym(expression, domain) -%}
    case when {{ expression }} is not null then cast(left(encode(sha256(
        decode(current_setting('bdt.hmac_opad'), 'hex')
        || sha256(decode(current_setting('bdt.hmac_ipad'), 'hex') || convert_to('{{ domain }}:' || {{ expression }}, 'UTF8'))
    ), 'hex'), 32) as uuid) end
{%- endmacro %}

{#- A missing or empty pad would give keys under another secret: stop instead. -#}
{% macro spark__pseudonym(expression, domain) -%}
    {%- set hmac_hex -%}
        left(sha2(concat(
            unhex('${spark.bdt.hmac_opad}'),
            unhex(sha2(concat(unhex('${spark.bdt.hmac_ipad}'), encode('{{ domain }}:' || {{ expression }}, 'UTF-8')), 256))
        ), 256), 32)
    {%- endset -%}
    case
        when length('${spark.bdt.hmac_ipad}') <> 128 or length('${spark.bdt.hmac_opad}') <> 128
            then raise_error('no pseudonymisation pads in spark.bdt.hmac_ipad/_opad: see docs/spark.md')
        when {{ expression }} is not null then {{ key_from_hex(hmac_hex) }}
    end
{%- endmacro %}
