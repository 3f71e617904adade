{#-
    The pseudonymous keys of the warehouse, each defined once (see pseudonym.sql for the HMAC).
      household_key(idbdt)          a BDT household
      pkh_family_key(idpkh)         a PKH family; also the household_key of a PKH non-BDT family
      individual_key(idartbdt)      a BDT household member (one row of the individual file)
      person_key(nik, nik_problem)  a person, from a valid NIK only (null otherwise): the same
                                    person keeps it across vintages and programs
-#}
{% macro household_key(household_id) -%}
    {{ pseudonym(household_id, 'rt') }}
{%- endmacro %}

{% macro pkh_family_key(pkh_family_id) -%}
    {{ pseudonym(pkh_family_id, 'pkh') }}
{%- endmacro %}

{% macro individual_key(individual_id) -%}
    {{ pseudonym(individual_id, 'art') }}
{%- endmacro %}

{% macro person_key(nik, nik_problem) -%}
    case when {{ nik_problem }} is null then {{ pseudonym(nik, 'nik') }} end
{%- endmacro %}
