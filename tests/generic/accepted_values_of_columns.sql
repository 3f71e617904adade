{#-
    accepted_values for several columns in one scan of the model: every non-null value of each
    column named in `accepted` (a mapping: column -> list of accepted values, as text) is one of
    its values. Fails with one row per offending combination (a column's value when it is not
    accepted, else null) and its row count. Meant for a view whose columns are costly to compute
    (int_individuals__validated parses every NIK): one accepted_values test per column would
    compute the view once per column.
-#}
{% test accepted_values_of_columns(model, accepted) %}

{%- set columns = accepted.keys() | list | sort %}

with

rejected_values as (

    select
        {%- for column in columns %}
        case
            when {{ column }} not in (
                {%- for value in accepted[column] %}'{{ value | replace("'", "''") }}'{{ ", " if not loop.last }}{% endfor -%}
            ) then {{ column }}
        end as {{ column }}{{ "," if not loop.last }}
        {%- endfor %}
    from {{ model }}

)

select
    {%- for column in columns %}
    rejected_values.{{ column }},
    {%- endfor %}
    count(*) as row_count
from rejected_values
where
    {%- for column in columns %}
    {{ "or " if not loop.first }}rejected_values.{{ column }} is not null
    {%- endfor %}
group by
    {%- for column in columns %}
    rejected_values.{{ column }}{{ "," if not loop.last }}
    {%- endfor %}

{% endtest %}
