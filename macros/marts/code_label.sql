{#-
    Decoding a code to its English label from the seed bdt_codelists (variable = raw column
    name): one left join per decoded column, aliased label_<column>, whose label_en the select
    list names. A join, not a scalar subquery, so that large tables decode in one pass. The
    Indonesian labels are in the same seed (reference.bdt_codelists, label_id) for BI tools.
-#}
{% macro code_label_join(variable, code, alias) -%}
    left join {{ ref('bdt_codelists') }} as {{ alias }}
        on {{ alias }}.variable = '{{ variable }}' and {{ code }} = {{ alias }}.code
{%- endmacro %}
