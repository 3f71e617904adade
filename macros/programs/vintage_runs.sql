{#-
    The runs of consecutive data vintages of each program, the candidate spells of
    int_programs__bdt_flag_spells.

    `programs` is a list of (program code, vintages), where vintages are (flag column, year) in
    order and neighbours in the list are consecutive vintages. For a program with the vintages
    2015, 2016, 2017 the runs are 2015, 2015-2016, 2015-2017, 2016, 2016-2017 and 2017. A unit
    (household or member) has the spell first..last exactly when its flags of that run are all
    "yes" (code 1) and the flags just before and just after the run, where there are any, are
    not: every run of "yes" flags is then found by exactly one of them.

    Returns one dict per (program, run), in the order of `programs`:
      program_code     the program
      first_year       year of the run's first vintage
      last_year        year of the run's last vintage
      vintage_count    number of vintages in the run
      yes_columns      the flag columns that must be 1
      not_yes_columns  the neighbouring flag columns that must not be 1 (null counts as not 1)
-#}
{% macro vintage_runs(programs) -%}
    {%- set runs = [] -%}
    {%- for program_code, vintages in programs -%}
        {%- set count = vintages | length -%}
        {%- for first in range(count) -%}
            {%- for last in range(first, count) -%}
                {%- set not_yes_columns = [] -%}
                {%- if first > 0 -%}
                    {%- do not_yes_columns.append(vintages[first - 1][0]) -%}
                {%- endif -%}
                {%- if last < count - 1 -%}
                    {%- do not_yes_columns.append(vintages[last + 1][0]) -%}
                {%- endif -%}
                {%- do runs.append({
                    'program_code': program_code,
                    'first_year': vintages[first][1],
                    'last_year': vintages[last][1],
                    'vintage_count': last - first + 1,
                    'yes_columns': vintages[first:last + 1] | map(attribute=0) | list,
                    'not_yes_columns': not_yes_columns,
                }) -%}
            {%- endfor -%}
        {%- endfor -%}
    {%- endfor -%}
    {{ return(runs) }}
{%- endmacro %}
