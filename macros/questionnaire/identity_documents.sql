{#-
    The identity documents of a member (Ada_kartu_identitas): bit flags summed, 1 birth
    certificate (akta kelahiran), 2 student card, 4 KTP, 8 driving licence; 0 none. Null when
    the flags are unknown.
-#}
{% macro has_birth_certificate(identity_documents_flags) -%}
    (mod({{ identity_documents_flags }}, 2) = 1)
{%- endmacro %}
