{#-
    Decoding a code to its labels from the seed bdt_codelists (variable = raw column name): one
    left join per decoded column, aliased label_<column>, whose label_en and label_id the select
    list names <x>_label_en and <x>_label_id (the marts' label convention, doc block label_en).
    A join, not a scalar subquery, so that large tables decode in one pass.
-#}
{% macro code_label_join(variable, code, alias) -%}
    left join {{ ref('bdt_codelists') }} as {{ alias }}
        on {{ alias }}.variable = '{{ variable }}' and {{ code }} = {{ alias }}.code
{%- endmacro %}
