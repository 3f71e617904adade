{#-
    The one place where a NIK (Nomor Induk Kependudukan) is taken apart.

    A NIK is 16 digits: Kemendagri province (2) + kabupaten/kota (2) + kecamatan (2) of issue,
    birth date DDMMYY with 40 added to the day for women, and a serial 0001-9999.
    Example: 1401014205750001 = Kampar, Riau (14.01.01), a woman (42 - 40 = day 2) born
    2 May 1975, serial 0001.

    Emits these columns (prefix configurable), to be placed in a select list:
      <p>invalid_reason   null when structurally valid, else the first failing rule:
                          missing, scientific_notation, non_digit, wrong_length, invalid_month,
                          invalid_day, impossible_date, serial_zero
                          (whether the prefix is a known Kemendagri kecamatan is checked against
                          the region list in int_individuals__validated, not here)
      <p>kemendagri_prefix  6 digits, e.g. '140101' (null unless 16 digits)
      <p>sex                '1' male, '2' female (day 41-71), null when the day is invalid
      <p>birth_date         date, null when invalid; the century is the latest that does
                            not put the birth after var('reference_date') (with 2015-07-01:
                            14 May 15 -> 2015, 30 Oct 15 -> 1915, 16 -> 1916)
      <p>serial             4 digits
    `nik` must already be cleaned (trimmed, placeholders nulled).
-#}
{% macro nik_parts(nik, prefix='nik_') -%}
    {%- set digits16 = regex_full_match(nik, '[0-9]{16}') -%}
    {%- set day_raw = safe_integer('substr(' ~ nik ~ ', 7, 2)') -%}
    {%- set day = '(case when ' ~ day_raw ~ ' > 40 then ' ~ day_raw ~ ' - 40 else ' ~ day_raw ~ ' end)' -%}
    {%- set month = safe_integer('substr(' ~ nik ~ ', 9, 2)') -%}
    {%- set yy = safe_integer('substr(' ~ nik ~ ', 11, 2)') -%}
    {%- set reference = var('reference_date') | replace('-', '') | int -%}
    {%- set century = reference // 1000000 * 100 -%}
    {%- set recent_year = '(' ~ century ~ ' + ' ~ yy ~ ')' -%}
    {%- set year = '(case when ' ~ recent_year ~ ' * 10000 + ' ~ month ~ ' * 100 + ' ~ day ~ ' <= ' ~ reference ~ ' then ' ~ recent_year ~ ' else ' ~ (century - 100) ~ ' + ' ~ yy ~ ' end)' -%}
    {%- set day_ok = '(' ~ day_raw ~ ' between 1 and 31 or ' ~ day_raw ~ ' between 41 and 71)' -%}
    case
        when {{ nik }} is null then 'missing'
        when {{ regex_full_match(nik, '[0-9]([.,][0-9]+)?[eE][+]?[0-9]+') }} then 'scientific_notation'
        when not {{ regex_full_match(nik, '[0-9]+') }} then 'non_digit'
        when not {{ digits16 }} then 'wrong_length'
        when not ({{ month }} between 1 and 12) then 'invalid_month'
        when not {{ day_ok }} then 'invalid_day'
        when not {{ is_valid_date(year, month, day) }} then 'impossible_date'
        when substr({{ nik }}, 13, 4) = '0000' then 'serial_zero'
    end as {{ prefix }}invalid_reason,
    case when {{ digits16 }} then substr({{ nik }}, 1, 6) end as {{ prefix }}kemendagri_prefix,
    case
        when {{ digits16 }} and {{ day_raw }} between 1 and 31 then '1'
        when {{ digits16 }} and {{ day_raw }} between 41 and 71 then '2'
    end as {{ prefix }}sex,
    case
        when {{ digits16 }} and {{ day_ok }} then {{ date_from_parts(year, month, day) }}
    end as {{ prefix }}birth_date,
    case when {{ digits16 }} then substr({{ nik }}, 13, 4) end as {{ prefix }}serial
{%- endmacro %}
