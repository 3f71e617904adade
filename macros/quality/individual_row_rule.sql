{#-
    The quarantine rule of a BDT individual row decided before the duplicate-NIK rule, in order:
    missing_individual_id, duplicate_individual_id (a later row of a repeated IDARTBDT),
    orphan_individual (its IDBDT is in no household row), household_quarantined; null when none.
    Used by int_individuals__resolved for every row and for the rows that may compete for a NIK.
      validated   alias of int_individuals__validated
      households  alias of the household rows (household_id, household_quarantine_rule)
      repeats     alias of the ranks of repeated IDARTBDTs (individual_id_occurrence)
-#}
{% macro individual_row_rule(validated, households, repeats) -%}
    case
        when {{ validated }}.individual_id is null then 'missing_individual_id'
        when {{ repeats }}.individual_id_occurrence > 1 then 'duplicate_individual_id'
        when {{ households }}.household_id is null then 'orphan_individual'
        when {{ households }}.household_quarantine_rule is not null then 'household_quarantined'
    end
{%- endmacro %}
