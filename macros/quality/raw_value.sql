{#-
    The raw text of the column named by `column_name` (an expression holding a raw column name)
    in a raw row aliased `alias`, for the columns of a column map; null for other names.
-#}
{% macro raw_value(column_map, alias, column_name) -%}
    case {{ column_name }}
        {%- for raw, _name, _kind in column_map %}
        when '{{ raw }}' then {{ alias }}.{{ raw }}
        {%- endfor %}
    end
{%- endmacro %}
