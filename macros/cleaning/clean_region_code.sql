{#-
    A BPS region code part (KDPROP 2, KDKAB 2, KDKEC 3, KDDESA 3 digits) with the leading zeros
    that spreadsheets drop put back: "10" -> "010". Null when the cleaned value is not 1..width
    digits (a flag in staging says so).
-#}
{% macro clean_region_code(cleaned, width) -%}
    case
        when {{ regex_full_match(cleaned, '[0-9]{1,' ~ width ~ '}') }}
            then lpad({{ cleaned }}, {{ width }}, '0')
    end
{%- endmacro %}
