{#-
    The English label of a code from the seed bdt_codelists (variable = raw column name), as a
    scalar subquery; null for a null code. The Indonesian labels are in the same seed
    (reference.bdt_codelists, label_id) for BI tools to join.
-#}
{% macro code_label(variable, code) -%}
    (
        select codelist.label_en
        from {{ ref('bdt_codelists') }} as codelist
        where codelist.variable = '{{ variable }}' and codelist.code = {{ code }}
    )
{%- endmacro %}
