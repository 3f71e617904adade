{#-
    The one place where a NIK (Nomor Induk Kependudukan) is taken apart.

    A NIK is 16 digits: Kemendagri province (2) + kabupaten/kota (2) + kecamatan (2) of issue,
    birth date DDMMYY with 40 added to the day for women, and a serial 0001-9999.
    Example: 1401014205750001 = Kampar, Riau (14.01.01), a woman (42 - 40 = day 2) born
    2 May 1975, serial 0001.

    `nik_parts(relation, nik, as_of_date)` is a select over `relation` (a CTE name) that returns all its
    columns plus these, computed in three nested steps so that each part is computed once:
      nik_is_16_digits    the NIK is exactly 16 digits (the parts below need it)
      nik_day_code        DD as written (day + 40 for women), nik_birth_day / nik_birth_month /
                          nik_birth_year the birth date's parts (the century as below)
      nik_invalid_reason   null when structurally valid, else the first failing rule:
                          missing, scientific_notation, non_digit, wrong_length, invalid_month,
                          invalid_day, impossible_date, serial_zero
                          (whether the prefix is a known Kemendagri kecamatan is checked against
                          the region list in int_individuals__validated, not here)
      nik_kemendagri_prefix  6 digits, e.g. '140101' (null unless 16 digits)
      nik_sex                '1' male, '2' female (day 41-71), null when the day is invalid
      nik_birth_date         date, null when invalid; the century is the latest that does
                            not put the birth after the row's as-of date, the date of its
                            delivery (as of 2015-07-01: 14 May 15 -> 2015, 30 Oct 15 -> 1915,
                            16 -> 1916; as of 2016-07-01: 16 -> 2016), read at run time
      nik_serial             4 digits
    `nik` (a column of `relation`) must already be cleaned (trimmed, placeholders nulled);
    `as_of_date` is a date column of `relation` (staging's as_of_date).
-#}
{% macro nik_parts(relation, nik, as_of_date) -%}
    {#- SQL of the as-of date's year, its century (e.g. 2000) and the date as YYYYMMDD -#}
    {%- set as_of = 'split.' ~ as_of_date -%}
    {%- set as_of_year = 'cast(extract(year from ' ~ as_of ~ ') as integer)' -%}
    {%- set century = '(' ~ as_of_year ~ ' - mod(' ~ as_of_year ~ ', 100))' -%}
    {%- set reference = '(' ~ as_of_year ~ ' * 10000 + cast(extract(month from ' ~ as_of
        ~ ') as integer) * 100 + cast(extract(day from ' ~ as_of ~ ') as integer))' -%}
    select
        dated.*,
        case
            when dated.{{ nik }} is null then 'missing'
            when {{ regex_full_match('dated.' ~ nik, '[0-9]([.,][0-9]+)?[eE][+]?[0-9]+') }}
                then 'scientific_notation'
            when not {{ regex_full_match('dated.' ~ nik, '[0-9]+') }} then 'non_digit'
            when not dated.nik_is_16_digits then 'wrong_length'
            when not (dated.nik_birth_month between 1 and 12) then 'invalid_month'
            when not (dated.nik_day_code between 1 and 31 or dated.nik_day_code between 41 and 71)
                then 'invalid_day'
            when not {{ is_valid_date('dated.nik_birth_year', 'dated.nik_birth_month', 'dated.nik_birth_day') }}
                then 'impossible_date'
            when substr(dated.{{ nik }}, 13, 4) = '0000' then 'serial_zero'
        end as nik_invalid_reason,
        case when dated.nik_is_16_digits then substr(dated.{{ nik }}, 1, 6) end as nik_kemendagri_prefix,
        case
            when dated.nik_is_16_digits and dated.nik_day_code between 1 and 31 then '1'
            when dated.nik_is_16_digits and dated.nik_day_code between 41 and 71 then '2'
        end as nik_sex,
        case
            when dated.nik_is_16_digits
                then {{ date_from_parts('dated.nik_birth_year', 'dated.nik_birth_month', 'dated.nik_birth_day') }}
        end as nik_birth_date,
        case when dated.nik_is_16_digits then substr(dated.{{ nik }}, 13, 4) end as nik_serial
    from (
        select
            split.*,
            case
                when split.nik_day_code > 40 then split.nik_day_code - 40 else split.nik_day_code
            end as nik_birth_day,
            case
                when
                    ({{ century }} + split.nik_year_code) * 10000 + split.nik_birth_month * 100
                    + case when split.nik_day_code > 40 then split.nik_day_code - 40 else split.nik_day_code end
                    <= {{ reference }}
                    then {{ century }} + split.nik_year_code
                else {{ century }} - 100 + split.nik_year_code
            end as nik_birth_year
        from (
            select
                {{ relation }}.*,
                {{ regex_full_match(relation ~ '.' ~ nik, '[0-9]{16}') }} as nik_is_16_digits,
                {{ safe_integer('substr(' ~ relation ~ '.' ~ nik ~ ', 7, 2)') }} as nik_day_code,
                {{ safe_integer('substr(' ~ relation ~ '.' ~ nik ~ ', 9, 2)') }} as nik_birth_month,
                {{ safe_integer('substr(' ~ relation ~ '.' ~ nik ~ ', 11, 2)') }} as nik_year_code
            from {{ relation }}
        ) as split
    ) as dated
{%- endmacro %}
