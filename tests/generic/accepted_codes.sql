{#-
    Every non-null value of the column is a code of `variable` in the seed bdt_codelists.
    Fails with one row per offending value.
-#}
{% test accepted_codes(model, column_name, variable) %}

with

codes as (

    select code from {{ ref('bdt_codelists') }}
    where variable = '{{ variable }}'

),

values_in_model as (

    select distinct {{ column_name }} as code_value
    from {{ model }}
    where {{ column_name }} is not null

)

select values_in_model.code_value
from values_in_model
where values_in_model.code_value not in (select codes.code from codes)

{% endtest %}
