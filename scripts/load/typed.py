"""The typed raw tables: every raw value trimmed, checked and typed once, at load.

Beside each raw table with a column map (raw columns with `staged_as` and `kind` in the source
YAML, models/staging/<source>/_<source>__sources.yml), the loader writes `<table>__typed`: the
same rows (`_source_file`, `_source_line`, and `_delivery` in an export table), each mapped
column under its staged name and typed by its kind, and per row what the typing did. The
staging models read it; the raw table keeps the values as they were in the file (lineage, the
quarantine). This module is the one place of the typing rules: it writes the DuckDB SQL.

The kinds of a column:
  text        spaces, tabs, CR and LF trimmed on both sides; the empty string and the
              placeholders NULL, NA, N/A, - (any letter case) and 0000-00-00 become null
  integer     text, then a whole number of at most 9 digits (a sign and ".0" accepted), else null
  code        an integer (its code list is checked in dbt, against the seed bdt_codelists)
  decimal     text, then a decimal number with a point or a decimal comma ("12,5"), else null
  date        text, then an ISO date YYYY-MM-DD of a real day in 1800-2100, else null
  region<N>   text, then a code of 1 to N digits given back its leading zeros ("10" -> "010")
A column's meta `text_as` also keeps its trimmed, placeholder-free text under that name.
Per row:
  bps_village_code    the four BPS code parts (kdprop, kdkab, kdkec, kddesa) joined, 10 digits
                      (only in a table that maps all four; null when one is missing or invalid)
  _cast_failures      the raw names of the columns whose present value did not convert,
                      comma-separated (null when none)
  _padded_codes       region codes given back leading zeros
  _trimmed_cells      cells whose value had whitespace trimmed
  _placeholder_cells  cells holding a placeholder (NULL, NA, N/A, -)
  _zero_date_cells    date cells holding 0000-00-00 (unknown)
"""

from __future__ import annotations

from dataclasses import dataclass

from scripts.contract import RawTable

TYPED_SUFFIX = "__typed"
TEXT_PREFIX = "_text_"
REGION_KIND = "region"
# The kinds other than region<N>, and the DuckDB type of each.
KIND_TYPES = {
    "text": "varchar",
    "integer": "integer",
    "code": "integer",
    "decimal": "double",
    "date": "date",
}
REGION_TYPE = "varchar"
# The raw BPS code parts whose staged values make up bps_village_code, in order.
VILLAGE_CODE_PARTS = ("kdprop", "kdkab", "kdkec", "kddesa")
VILLAGE_CODE = "bps_village_code"
CAST_FAILURES = "_cast_failures"
PADDED_CODES = "_padded_codes"
TRIMMED_CELLS = "_trimmed_cells"
PLACEHOLDER_CELLS = "_placeholder_cells"
ZERO_DATE_CELLS = "_zero_date_cells"
COUNTERS = (PADDED_CODES, TRIMMED_CELLS, PLACEHOLDER_CELLS, ZERO_DATE_CELLS)
# What the values are tested against (SQL string literals; RE2 reads the backslashes).
WHITESPACE = ("chr(32)", "chr(9)", "chr(13)", "chr(10)")
WHITESPACE_CHARACTERS = " || ".join(WHITESPACE)
PLACEHOLDERS = ("NULL", "NA", "N/A", "-")  # at most four: _is_empty_or_placeholder
ZERO_DATE = "0000-00-00"
INTEGER_PATTERN = "[+-]?[0-9]{1,9}([.]0+)?"
DECIMAL_PATTERN = "[+-]?([0-9]{1,12}([.,][0-9]*)?|[.,][0-9]+)"
DATE_PATTERN = "[0-9]{4}-[0-9]{2}-[0-9]{2}"
FIRST_YEAR, LAST_YEAR = 1800, 2100


@dataclass(frozen=True)
class StagedColumn:
    """One raw column of a column map: its staged name, kind and optional text name."""

    raw: str
    name: str
    kind: str
    text_as: str | None = None

    def __post_init__(self) -> None:
        if self.kind not in KIND_TYPES and self.region_width is None:
            raise ValueError(f"unknown column kind {self.kind!r} for {self.raw}")

    @property
    def region_width(self) -> int | None:
        """N of a kind region<N>, else None."""
        digits = self.kind.removeprefix(REGION_KIND)
        if self.kind.startswith(REGION_KIND) and digits.isdigit() and int(digits) > 0:
            return int(digits)
        return None

    @property
    def is_checked(self) -> bool:
        """Whether a present value can fail to convert (every kind but text)."""
        return self.kind != "text"

    @property
    def duckdb_type(self) -> str:
        return REGION_TYPE if self.region_width is not None else KIND_TYPES[self.kind]


def typed_table_name(identifier: str) -> str:
    """The typed table beside a raw table, e.g. bdt_households__typed."""
    return identifier + TYPED_SUFFIX


def column_map(table: RawTable) -> tuple[StagedColumn, ...]:
    """The raw columns of a table with a staged name, in contract order (empty: no typed table)."""
    return tuple(
        StagedColumn(c.name, c.staged_as, c.kind or "", c.text_as)
        for c in table.columns
        if c.staged_as
    )


def _has_village_code(columns: tuple[StagedColumn, ...]) -> bool:
    return set(VILLAGE_CODE_PARTS) <= {c.raw for c in columns}


def typed_columns(columns: tuple[StagedColumn, ...]) -> list[tuple[str, str]]:
    """The typed table's columns after its lineage columns, with their DuckDB types."""
    typed = [(c.name, c.duckdb_type) for c in columns]
    typed += [(c.text_as, "varchar") for c in columns if c.text_as]
    if _has_village_code(columns):
        typed.append((VILLAGE_CODE, "varchar"))
    typed.append((CAST_FAILURES, "varchar"))
    return typed + [(counter, "integer") for counter in COUNTERS]


def _text(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _quoted(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def _in_list(values: tuple[str, ...]) -> str:
    return "(" + ", ".join(_text(v) for v in values) + ")"


def _full_match(expression: str, pattern: str) -> str:
    return f"regexp_full_match({expression}, {_text(pattern)})"


def _sum(terms: list[str]) -> str:
    """SQL of the sum of integer terms (0 when none)."""
    return " + ".join(terms) if terms else "0"


def _count_if(condition: str) -> str:
    return f"(case when {condition} then 1 else 0 end)"


def _has_edge_whitespace(column: str) -> str:
    """Eight prefix and suffix tests: a quarter faster over the members at 1m than one regular
    expression anchored at both ends (which scans the whole value for its end)."""
    ends = [f"{test}({column}, {character})" for test in ("starts_with", "ends_with")
            for character in WHITESPACE]  # fmt: skip
    return f"({' or '.join(ends)})"


def _is_placeholder(column: str) -> str:
    """A placeholder for a missing value (PLACEHOLDERS, any case)."""
    return f"upper({column}) in {_in_list(PLACEHOLDERS)}"


def _is_empty_or_placeholder(column: str) -> str:
    """An empty cell, a placeholder or the zero date. Two equality tests and a list of four: the
    engine turns a list of five or more values into a join per column, which at 1m cost a fifth
    of the typing of the members' code columns."""
    return f"({column} = '' or {column} = {_text(ZERO_DATE)} or {_is_placeholder(column)})"


def _trimmed(column: str) -> str:
    """Trimming a set of characters is three times slower than testing the ends first."""
    return (
        f"case when {_has_edge_whitespace(column)} "
        f"then trim({column}, {WHITESPACE_CHARACTERS}) else {column} end"
    )


def integer_sql(expression: str) -> str:
    """A whole number or null. Most cells are codes of one or two digits: a glob recognises them
    at a fifth of the regular expression's cost, and they convert without a double; the engine's
    own cast alone would accept '3.5' (as 4) and '0x10'."""
    return (
        f"case when {expression} glob '[0-9]' or {expression} glob '[0-9][0-9]' "
        f"then cast({expression} as integer) "
        f"when {_full_match(expression, INTEGER_PATTERN)} "
        f"then cast(cast({expression} as double) as integer) end"
    )


def decimal_sql(expression: str) -> str:
    return (
        f"case when {_full_match(expression, DECIMAL_PATTERN)} "
        f"then cast(replace({expression}, ',', '.') as double) end"
    )


def date_sql(expression: str) -> str:
    """An ISO date of a real calendar day in FIRST_YEAR..LAST_YEAR, or null. Once the shape is
    checked, the engine's date cast rejects days that are not in the calendar (2015-02-29,
    2015-04-31): at 1m a fifth of the cost of parsing year, month and day as numbers and testing
    them (the members' birth date alone took a quarter of their typing that way)."""
    day = f"try_cast({expression} as date)"
    return (
        f"case when {_full_match(expression, DATE_PATTERN)} and {day} between "
        f"date '{FIRST_YEAR:04d}-01-01' and date '{LAST_YEAR:04d}-12-31' then {day} end"
    )


def region_sql(expression: str, width: int) -> str:
    return (
        f"case when {_full_match(expression, f'[0-9]{{1,{width}}}')} "
        f"then lpad({expression}, {width}, '0') end"
    )


def typed_value_sql(column: StagedColumn, expression: str) -> str:
    """SQL of a cleaned text value typed by the column's kind."""
    if column.region_width is not None:
        return region_sql(expression, column.region_width)
    if column.kind in ("integer", "code"):
        return integer_sql(expression)
    if column.kind == "decimal":
        return decimal_sql(expression)
    if column.kind == "date":
        return date_sql(expression)
    return expression


def typed_select(
    columns: tuple[StagedColumn, ...], relation: str, lineage: tuple[str, ...], where: str = ""
) -> str:
    """The SELECT of the typed rows of `relation` (a raw table, optionally filtered by
    `where`): its `lineage` columns, then typed_columns(columns) in that order."""
    if not columns:
        raise ValueError(f"{relation}: no column map, no typed table")
    keep = ", ".join(_quoted(c) for c in lineage)
    raws = [_quoted(c.raw) for c in columns]
    trimmed = ", ".join(f"{_trimmed(r)} as {r}" for r in raws)
    trimmed_cells = _sum([_count_if(_has_edge_whitespace(r)) for r in raws])
    cleaned = ", ".join(
        f"case when {_is_empty_or_placeholder(r)} then null else {r} end as {r}" for r in raws
    )
    placeholder_cells = _sum([_count_if(_is_placeholder(r)) for r in raws])
    zero_dates = [
        _count_if(f"{_quoted(c.raw)} = {_text(ZERO_DATE)}") for c in columns if c.kind == "date"
    ]
    # the typed values under their staged names, the cleaned text beside them
    carried = [f"{_quoted(c.raw)} as {_text_of(c)}" for c in columns]
    typed = [f"{typed_value_sql(c, _quoted(c.raw))} as {_quoted(c.name)}" for c in columns]
    final = [_quoted(c.name) for c in columns]
    final += [f"{_text_of(c)} as {_quoted(c.text_as)}" for c in columns if c.text_as]
    if _has_village_code(columns):
        by_raw = {c.raw: _quoted(c.name) for c in columns}
        parts = " || ".join(by_raw[raw] for raw in VILLAGE_CODE_PARTS)
        final.append(f"{parts} as {VILLAGE_CODE}")
    final += [_cast_failures_sql(columns), f"{_padded_codes_sql(columns)} as {PADDED_CODES}"]
    final += [TRIMMED_CELLS, PLACEHOLDER_CELLS, ZERO_DATE_CELLS]
    return (
        f"with trimmed as (select {keep}, {trimmed}, {trimmed_cells} as {TRIMMED_CELLS} "
        f"from {relation}{f' where {where}' if where else ''}),\n"
        f"cleaned as (select {keep}, {TRIMMED_CELLS}, {cleaned}, "
        f"{placeholder_cells} as {PLACEHOLDER_CELLS}, {_sum(zero_dates)} as {ZERO_DATE_CELLS} "
        "from trimmed),\n"
        f"typed as (select {keep}, {', '.join(COUNTERS[1:])}, {', '.join(carried)}, "
        f"{', '.join(typed)} from cleaned)\n"
        f"select {keep}, {', '.join(final)} from typed"
    )


def _text_of(column: StagedColumn) -> str:
    """The column of a value's cleaned text in the CTE `typed` (its raw name may be taken by a
    staged name)."""
    return _quoted(TEXT_PREFIX + column.raw)


def _failed(column: StagedColumn) -> str:
    return f"{_text_of(column)} is not null and {_quoted(column.name)} is null"


def _cast_failures_sql(columns: tuple[StagedColumn, ...]) -> str:
    """The list is built only for the few rows with a failure: the test is cheap, concat is not."""
    checked = [c for c in columns if c.is_checked]
    if not checked:
        return f"cast(null as varchar) as {CAST_FAILURES}"
    any_failed = " or ".join(f"({_failed(c)})" for c in checked)
    names = ", ".join(f"case when {_failed(c)} then {_text(c.raw)} end" for c in checked)
    return f"case when {any_failed} then concat_ws(',', {names}) end as {CAST_FAILURES}"


def _padded_codes_sql(columns: tuple[StagedColumn, ...]) -> str:
    return _sum(
        [
            _count_if(f"length({_text_of(c)}) < length({_quoted(c.name)})")
            for c in columns
            if c.region_width is not None
        ]
    )
