{#-
    The cheap check of a long view's grain (an unpivot of a table unique on its key): every value
    of column_name has as many rows as the model rows_of. Fails with one row per value whose count
    differs (an asset listed twice, or a join that multiplies rows). One streaming aggregate with a
    row per value, instead of a distinct count of every (key, value) pair.
-#}
{% test rows_per_value_equal_rows_of(model, column_name, rows_of) %}

with

expected as (

    select count(*) as row_count from {{ rows_of }}

),

per_value as (

    select
        {{ column_name }} as value,
        count(*) as row_count
    from {{ model }}
    group by {{ column_name }}

)

select
    per_value.value,
    per_value.row_count,
    expected.row_count as expected_row_count
from per_value
cross join expected
where per_value.row_count <> expected.row_count

{% endtest %}
