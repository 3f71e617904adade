"""The typed raw tables (scripts/load/typed.py): every raw value trimmed, checked and typed once.

The expected values are computed here by a separate, plain-Python reading of the rules (the
kinds described in typed.py's docstring), never with the module's SQL; the hand-picked edge
cases are those the staging macros' rules were written for (spreadsheet "3.0", DuckDB's lenient
casts, dropped leading zeros, impossible days, placeholders).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from pathlib import Path

import duckdb
import pytest

from scripts.contract import raw_table
from scripts.load.typed import StagedColumn, column_map, typed_columns, typed_select
from tests.python.test_load import (
    HOUSEHOLD_HEADERS,
    HOUSEHOLD_ROWS,
    MORE_HOUSEHOLDS,
    csv_bytes,
    delivery_folder,
    fetch,
    load,
    record_lines,
)

WHITESPACE = " \t\r\n"
NO_VALUE = {"", "NULL", "NA", "N/A", "-", "0000-00-00"}
PLACEHOLDER = {"NULL", "NA", "N/A", "-"}
MAX_INTEGER_DIGITS = 9


def cleaned(value: str | None) -> str | None:
    if value is None:
        return None
    text = value.strip(WHITESPACE)
    return None if text.upper() in NO_VALUE else text


def whole_number(text: str) -> int | None:
    match = re.fullmatch(r"([+-]?)([0-9]+)(\.0+)?", text)
    if match is None or len(match.group(2)) > MAX_INTEGER_DIGITS:
        return None
    return int(match.group(1) + match.group(2))


def decimal_number(text: str) -> float | None:
    match = re.fullmatch(r"[+-]?([0-9]{1,12}([.,][0-9]*)?|[.,][0-9]+)", text)
    return float(text.replace(",", ".")) if match else None


def iso_date(text: str) -> dt.date | None:
    if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text):
        return None
    year, month, day = int(text[:4]), int(text[5:7]), int(text[8:])
    if not (1800 <= year <= 2100 and 1 <= month <= 12):
        return None
    return dt.date(year, month, day) if 1 <= day <= calendar.monthrange(year, month)[1] else None


def region(text: str, width: int) -> str | None:
    return text.zfill(width) if re.fullmatch(rf"[0-9]{{1,{width}}}", text) else None


def expected_value(value: str | None, kind: str) -> object:
    text = cleaned(value)
    if text is None:
        return None
    if kind in ("integer", "code"):
        return whole_number(text)
    if kind == "decimal":
        return decimal_number(text)
    if kind == "date":
        return iso_date(text)
    if kind.startswith("region"):
        return region(text, int(kind.removeprefix("region")))
    return text


# Each kind with values and what they become; checked one by one below, and in one table.
CASES = {
    "text": [
        ("  BUDI \t", "BUDI"), ("SITI\r\n", "SITI"), ("null", None), ("N/a", None), ("-", None),
        ("", None), ("0000-00-00", None), ("A - B", "A - B"), ("--", "--"), (None, None),
    ],
    "integer": [
        ("3", 3), ("03", 3), ("3.0", 3), ("-3.00", -3), ("+7", 7), ("3.5", None),
        ("0x10", None), ("1e3", None), ("123456789", 123456789), ("1234567890", None),
        (" 42 ", 42), ("NA", None), ("3.", None), ("٣", None),
    ],
    "code": [("1", 1), ("9", 9), ("12", 12), ("1.0", 1), ("x", None)],
    "decimal": [
        ("12,5", 12.5), ("12.5", 12.5), (".5", 0.5), (",5", 0.5), ("36", 36.0), ("-1.25", -1.25),
        ("7.", 7.0), ("1.2.3", None), ("1e3", None), ("1 000", None), ("1234567890123", None),
    ],
    "date": [
        ("2015-07-01", dt.date(2015, 7, 1)), ("2016-02-29", dt.date(2016, 2, 29)),
        ("2015-02-29", None), ("1900-02-29", None), ("2000-02-29", dt.date(2000, 2, 29)),
        ("2015-04-31", None), ("2015-13-01", None), ("1799-12-31", None), ("2101-01-01", None),
        ("0000-00-00", None), ("01/07/2015", None), (" 1975-05-02 ", dt.date(1975, 5, 2)),
    ],
    "region3": [("10", "010"), ("1", "001"), ("010", "010"), ("1234", None), ("1a", None)],
    "region2": [("7", "07"), ("12", "12"), ("123", None)],
}  # fmt: skip


def typed_rows(columns: tuple[StagedColumn, ...], rows: list[tuple[str | None, ...]]) -> list:
    """The typed rows of `rows` (one value per column) through typed_select, in line order."""
    connection = duckdb.connect()
    definitions = ", ".join(f'"{c.raw}" varchar' for c in columns)
    connection.execute(
        f"create table raw_rows ({definitions}, _source_file varchar, _source_line bigint)"
    )
    connection.executemany(
        f"insert into raw_rows values ({', '.join('?' for _ in columns)}, 'f.csv', ?)",
        [(*row, line) for line, row in enumerate(rows, start=2)],
    )
    select = typed_select(columns, "raw_rows", ("_source_file", "_source_line"))
    return connection.execute(f"{select} order by _source_line").fetchall()


@pytest.mark.parametrize("kind", sorted(CASES))
def test_each_kind_types_its_values_as_the_rules_say(kind: str) -> None:
    column = StagedColumn("raw_value", "value", kind)
    values = [value for value, _ in CASES[kind]]
    got = [row[2] for row in typed_rows((column,), [(v,) for v in values])]
    assert got == [expected for _, expected in CASES[kind]]
    assert got == [expected_value(v, kind) for v in values]


def test_the_row_counters_and_failures_match_the_values() -> None:
    columns = (
        StagedColumn("kdprop", "province_code", "region2"),
        StagedColumn("kdkab", "regency_part", "region2"),
        StagedColumn("kdkec", "district_part", "region3"),
        StagedColumn("kddesa", "village_part", "region3"),
        StagedColumn("nama", "name", "text"),
        StagedColumn("umur", "age", "integer"),
        StagedColumn("tgllahir", "birth_date", "date", text_as="birth_date_text"),
    )
    rows = [
        ("12", "72", "10", "1", " BUDI ", "3.5", "0000-00-00"),
        ("12", "72", "010", "001", "NULL", "NA", "1975-02-30"),
        ("12", "72", "1000", "001", "-", "", " 1975-05-02"),
        (None, "72", "010", "001", "SITI", "40", "N/A"),
    ]
    names = ["_source_file", "_source_line", *(name for name, _ in typed_columns(columns))]
    got = [dict(zip(names, row, strict=True)) for row in typed_rows(columns, rows)]
    for row, typed in zip(rows, got, strict=True):
        values = [expected_value(v, c.kind) for v, c in zip(row, columns, strict=True)]
        assert [typed[c.name] for c in columns] == values
        texts = [cleaned(v) for v in row]
        assert typed["birth_date_text"] == texts[-1]
        parts = values[:4]
        assert typed["bps_village_code"] == (None if None in parts else "".join(parts))
        failed = [
            c.raw
            for c, text, value in zip(columns, texts, values, strict=True)
            if c.kind != "text" and text is not None and value is None
        ]
        assert typed["_cast_failures"] == (",".join(failed) or None)
        assert typed["_padded_codes"] == sum(
            1
            for text, value in zip(texts[:4], parts, strict=True)
            if value and len(text) < len(value)
        )
        assert typed["_trimmed_cells"] == sum(
            1 for v in row if v is not None and v != v.strip(WHITESPACE)
        )
        assert typed["_placeholder_cells"] == sum(
            1 for v in row if v is not None and v.strip(WHITESPACE).upper() in PLACEHOLDER
        )
        assert typed["_zero_date_cells"] == int(row[-1].strip(WHITESPACE) == "0000-00-00")


def test_a_map_without_checked_columns_has_no_failures_and_no_village_code() -> None:
    columns = (StagedColumn("kode", "code", "text"), StagedColumn("nama", "name", "text"))
    (row,) = typed_rows(columns, [(" 12.74 ", "NA")])
    names = [name for name, _ in typed_columns(columns)]
    assert "bps_village_code" not in names
    assert dict(zip(names, row[2:], strict=True)) == {
        "code": "12.74", "name": None, "_cast_failures": None, "_padded_codes": 0,
        "_trimmed_cells": 1, "_placeholder_cells": 1, "_zero_date_cells": 0,
    }  # fmt: skip


def test_an_unknown_kind_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown column kind"):
        StagedColumn("x", "y", "money")


# ---------------------------------------------------------------------------------------------
# The loader writes the typed tables beside the raw ones.


def typed_of(out: Path, table: str, delivery: str) -> list[tuple]:
    """(line, staged household id, member count, district part) of a delivery's typed rows."""
    return fetch(
        out,
        "select _source_line, household_id, reported_member_count, district_part "
        f"from {table}__typed where _delivery = '{delivery}' order by _source_line",
    )


def expected_typed(rows: list[list[str]]) -> list[tuple]:
    """The same from the file's rows (IDBDT, ..., KDKEC at 3, Jumlah_ART at 7), each on the
    line its record starts on in the CSV written of them."""
    lines = record_lines(csv_bytes(HOUSEHOLD_HEADERS, rows), ",")
    return [
        (
            line,
            cleaned(row[0]),
            expected_value(row[7], "integer"),
            expected_value(row[3], "region3"),
        )
        for line, row in zip(lines, rows, strict=True)
    ]


def test_the_loader_writes_a_typed_table_beside_each_mapped_raw_table(tmp_path: Path) -> None:
    root = tmp_path / "deliveries"
    delivery_folder(root, "2015-07", HOUSEHOLD_ROWS)
    out = tmp_path / "raw.duckdb"
    load(root, out)
    assert typed_of(out, "bdt_households", "2015-07") == expected_typed(HOUSEHOLD_ROWS)
    for table in ("bdt_households", "bdt_individuals", "pkh_payments", "fkp_sls_results"):
        lineage = "_source_file, _source_line, _delivery"
        raw = fetch(out, f"select {lineage} from {table} order by all")
        assert fetch(out, f"select {lineage} from {table}__typed order by all") == raw
        staged = [c.name for c in column_map(raw_table(table))]
        columns = [
            name for (name,) in fetch(out, f"select column_name from (describe {table}__typed)")
        ]
        assert columns[3 : 3 + len(staged)] == staged
    # the raw table keeps the values as they were in the file
    assert fetch(out, "select nama_krt from bdt_households where _source_line = 2") == [
        (HOUSEHOLD_ROWS[0][5],)
    ]


def test_reloading_a_delivery_replaces_its_typed_rows_only(tmp_path: Path) -> None:
    root = tmp_path / "deliveries"
    first = delivery_folder(root, "2015-07", HOUSEHOLD_ROWS)
    later = [*HOUSEHOLD_ROWS, *MORE_HOUSEHOLDS]
    delivery_folder(root, "2016-01", later)
    out = tmp_path / "raw.duckdb"
    load(root, out)
    corrected = [[*row[:7], "9", *row[8:]] for row in HOUSEHOLD_ROWS[:2]]
    (first / "bdt_rt_1272.csv").write_bytes(csv_bytes(HOUSEHOLD_HEADERS, corrected))
    load(first, out, delivery="2015-07")
    assert typed_of(out, "bdt_households", "2015-07") == expected_typed(corrected)
    assert typed_of(out, "bdt_households", "2016-01") == expected_typed(later)


def test_a_raw_database_without_typed_tables_gets_them_at_the_next_load(tmp_path: Path) -> None:
    """A raw database of an earlier loader (no typed tables, or of other columns): the next
    load, even one that keeps every delivery as it was, writes them from every row."""
    root = tmp_path / "deliveries"
    delivery_folder(root, "2015-07", HOUSEHOLD_ROWS)
    out = tmp_path / "raw.duckdb"
    load(root, out)
    with duckdb.connect(str(out)) as connection:
        connection.execute("drop table raw.raw.bdt_households__typed")
        connection.execute(
            "alter table raw.raw.bdt_individuals__typed drop column _zero_date_cells"
        )
    load(root, out)
    assert typed_of(out, "bdt_households", "2015-07") == expected_typed(HOUSEHOLD_ROWS)
    assert fetch(out, "select count(*) from bdt_individuals__typed") == fetch(
        out, "select count(*) from bdt_individuals"
    )
