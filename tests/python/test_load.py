"""The load step (scripts/load): raw files of every format into raw.duckdb, verbatim.

Every test builds its own small files in a tmp folder; expected values are computed from the
written files with Python (csv module, line counts, hashlib), not with the loader's code.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import re
import subprocess
import sys
import zipfile
from collections.abc import Generator, Sequence
from pathlib import Path
from typing import Any

import duckdb
import openpyxl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from scripts.contract import LINEAGE_COLUMNS, PROJECT_DIR, raw_table
from scripts.load import RawFileError, load_raw_dir
from scripts.load.excel import cell_text

HOUSEHOLD_HEADERS = [
    "IDBDT",
    "KDPROP",
    "KDKAB",
    "KDKEC",
    "KDDESA",
    "Nama_KRT",
    "Alamat",
    "Jumlah_ART",
    "percentile",
    "Catatan",  # not in the contract: kept as an extra column
]
# Dirty values as in real exports; every value must come back exactly.
HOUSEHOLD_ROWS = [
    # IDBDT, KDPROP, KDKAB, KDKEC, KDDESA, Nama_KRT, Alamat, Jumlah_ART, percentile, Catatan
    [
        "1272010001000001",
        "12",
        "72",
        "010",
        "001",
        "BUDI SANTOSO ",
        "JL. MAWAR; NO 5, LK II",
        "4",
        "12",
        "",
    ],
    [
        "1272010001000002",
        "12",
        "72",
        "10",
        "1",
        "NULL",
        'JL. "MELATI"',
        "0000-00-00",
        "1.27405E+15",
        "x",
    ],
    ["1272010001000003", "12", "72", "010", "001", "SITI\nAMINAH", "", "3", "NULL", ""],
    ["1272010001000004", "12", "72", "020", "002", " AHMAD\tRIZKI", "GG. | BUNTU", "5", "7", "\\N"],
]
INDIVIDUAL_HEADERS = ["IDARTBDT", "IDBDT", "NIK", "JnsKel", "TglLahir", "Hub_KRT"]
INDIVIDUAL_ROWS = [
    ["127201000100000101", "1272010001000001", "1.27405E+15", "1", "0000-00-00", "1"],
    ["127201000100000102", "1272010001000001", "127401420575001", "2", "1975-05-02", "2"],
]


# ---------------------------------------------------------------------------------------------
# helpers


def csv_bytes(
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    delimiter: str = ",",
    line_ending: str = "\n",
    bom: bool = False,
    encoding: str = "utf-8",
) -> bytes:
    """A delimited file as Python's csv module writes it (quotes only where needed)."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator=line_ending)
    writer.writerow(headers)
    writer.writerows(rows)
    data = buffer.getvalue().encode(encoding)
    return b"\xef\xbb\xbf" + data if bom else data


def record_lines(data: bytes, delimiter: str) -> list[int]:
    """The physical line where each data record starts, counted by Python's csv module."""
    reader = csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=delimiter)
    next(reader)
    starts = []
    previous_end = reader.line_num
    for _ in reader:
        starts.append(previous_end + 1)
        previous_end = reader.line_num
    return starts


def write_sheet(path: Path, rows: Sequence[Sequence[object]]) -> None:
    """A workbook whose first sheet has these rows from row 1 (an empty row stays empty)."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(list(row))
    workbook.save(path)


def write_xlsx(path: Path, headers: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
    write_sheet(path, [headers, *rows])


def write_parquet(path: Path, headers: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    columns = {h: pa.array([r[i] for r in rows], pa.string()) for i, h in enumerate(headers)}
    pq.write_table(pa.table(columns), path)


def raw_dir_with(tmp_path: Path, files: dict[str, bytes], individuals: bool = True) -> Path:
    """A raw folder with these files, plus a valid individuals file unless told otherwise."""
    raw_dir = tmp_path / "raw"
    raw_dir.mkdir(parents=True, exist_ok=True)
    if individuals:
        (raw_dir / "bdt_art_1272.csv").write_bytes(csv_bytes(INDIVIDUAL_HEADERS, INDIVIDUAL_ROWS))
    for name, data in files.items():
        (raw_dir / name).write_bytes(data)
    return raw_dir


def load(raw_dir: Path, out: Path, **options: object) -> list[str]:
    """Run the load step; its warnings."""
    warnings: list[str] = []
    load_raw_dir(raw_dir, out, progress=False, warn=warnings.append, **options)
    return warnings


def fetch(out: Path, sql: str) -> list[tuple]:
    connection = duckdb.connect(str(out), read_only=True)
    try:
        (catalog,) = connection.execute("select current_database()").fetchone()
        connection.execute(f'use "{catalog}".raw')
        return connection.execute(sql).fetchall()
    finally:
        connection.close()


def columns_of(out: Path, table: str) -> list[str]:
    rows = fetch(
        out,
        "select column_name from information_schema.columns "
        f"where table_name = '{table}' order by ordinal_position",
    )
    return [r[0] for r in rows]


def data_rows(out: Path, table: str = "bdt_households") -> list[tuple]:
    """The table's rows without the lineage columns, in load order."""
    names = [c for c in columns_of(out, table) if c not in LINEAGE_COLUMNS]
    select = ", ".join(f'"{n}"' for n in names)
    return fetch(out, f"select {select} from {table} order by rowid")


def table_digest(out: Path, table: str) -> str:
    """Order-independent hash of every row of a table."""
    rows = sorted(repr(r) for r in fetch(out, f"select * from {table}"))
    return hashlib.sha256("\n".join(rows).encode()).hexdigest()


def expected_households(rows: Sequence[Sequence[str]] = HOUSEHOLD_ROWS) -> list[tuple]:
    """The households table as the contract lays it out: contract columns (NULL when the file
    lacks them), then the extra column."""
    table = raw_table("bdt_households")
    position = {h.lower(): i for i, h in enumerate(HOUSEHOLD_HEADERS)}
    expected = []
    for row in rows:
        values = [row[position[c]] if c in position else None for c in table.column_names]
        expected.append((*values, row[position["catatan"]]))
    return expected


# ---------------------------------------------------------------------------------------------
# formats and variants: the same content whatever the file looks like


def _variant_files(variant: str, tmp_path: Path) -> tuple[str, bytes]:
    headers, rows = HOUSEHOLD_HEADERS, HOUSEHOLD_ROWS
    if variant == "semicolon":
        return "bdt_rt.csv", csv_bytes(headers, rows, ";")
    if variant == "tab":
        return "bdt_rt.txt", csv_bytes(headers, rows, "\t")
    if variant == "pipe":
        return "bdt_rt.txt", csv_bytes(headers, rows, "|")
    if variant == "bom":
        return "bdt_rt.csv", csv_bytes(headers, rows, bom=True)
    if variant == "crlf":
        return "bdt_rt.csv", csv_bytes(headers, rows, line_ending="\r\n")
    if variant == "mixed_line_endings":
        lines = csv_bytes(headers, rows).split(b"\n")
        return "bdt_rt.csv", b"\r\n".join(lines[:3]) + b"\r\n" + b"\n".join(lines[3:])
    if variant == "lower_case_headers":
        return "BDT_RT.CSV", csv_bytes([h.lower() for h in headers], rows)
    if variant == "upper_case_spaced_headers":
        spaced = [f" {h.upper().replace('_', ' ')}" for h in headers]
        return "Bdt_Rt_1272.csv", csv_bytes(spaced, rows, ";")
    if variant == "xlsx":
        write_xlsx(tmp_path / "bdt_rt.xlsx", headers, rows)
        return "bdt_rt.xlsx", (tmp_path / "bdt_rt.xlsx").read_bytes()
    if variant == "parquet":
        write_parquet(tmp_path / "bdt_rt.parquet", headers, rows)
        return "bdt_rt.parquet", (tmp_path / "bdt_rt.parquet").read_bytes()
    raise AssertionError(variant)


VARIANTS = [
    "semicolon",
    "tab",
    "pipe",
    "bom",
    "crlf",
    "mixed_line_endings",
    "lower_case_headers",
    "upper_case_spaced_headers",
    "xlsx",
    "parquet",
]


@pytest.fixture
def plain_households(tmp_path: Path) -> tuple[Path, bytes]:
    """The plain CSV (',' LF UTF-8) loaded: the database and the file's bytes."""
    data = csv_bytes(HOUSEHOLD_HEADERS, HOUSEHOLD_ROWS)
    raw_dir = raw_dir_with(tmp_path / "plain", {"bdt_rt.csv": data})
    out = tmp_path / "plain.duckdb"
    load(raw_dir, out)
    return out, data


def test_plain_csv_loads_every_value_verbatim(plain_households: tuple[Path, bytes]) -> None:
    out, data = plain_households
    assert data_rows(out) == expected_households()
    lines = [r[0] for r in fetch(out, "select _source_line from bdt_households order by rowid")]
    assert lines == record_lines(data, ",") == [2, 3, 4, 6]
    files = fetch(out, "select distinct _source_file from bdt_households")
    assert files == [("bdt_rt.csv",)]


@pytest.mark.parametrize("variant", VARIANTS)
def test_every_variant_gives_the_plain_csv_content(
    variant: str, tmp_path: Path, plain_households: tuple[Path, bytes]
) -> None:
    plain_out, _ = plain_households
    name, data = _variant_files(variant, tmp_path)
    raw_dir = raw_dir_with(tmp_path / variant, {name: data})
    out = tmp_path / f"{variant}.duckdb"
    load(raw_dir, out)
    assert data_rows(out) == data_rows(plain_out)
    assert columns_of(out, "bdt_households") == columns_of(plain_out, "bdt_households")
    lines = [r[0] for r in fetch(out, "select _source_line from bdt_households order by rowid")]
    if variant == "xlsx":
        assert lines == [2, 3, 4, 5]  # sheet rows
    elif variant == "parquet":
        assert lines == [1, 2, 3, 4]  # row numbers
    else:
        delimiter = {"semicolon": ";", "tab": "\t", "pipe": "|"}.get(variant, ",")
        if variant == "upper_case_spaced_headers":
            delimiter = ";"
        assert lines == record_lines(data, delimiter)


def test_load_files_describes_each_file(tmp_path: Path) -> None:
    one_line_rows = [r for r in HOUSEHOLD_ROWS if "\n" not in r[5]]
    data = csv_bytes(HOUSEHOLD_HEADERS, one_line_rows, ";", "\r\n", bom=True)
    raw_dir = raw_dir_with(tmp_path, {"bdt_rt.csv": data})
    out = tmp_path / "raw.duckdb"
    load(raw_dir, out)
    rows = fetch(
        out,
        'select "table", file, format, encoding, bom, delimiter, line_ending, header_line, '
        "rows, empty_rows_skipped, extra_columns, bytes, sha256, missing_optional_columns "
        'from _load_files order by "table", file',
    )
    assert [r[:2] for r in rows] == [
        ("bdt_households", "bdt_rt.csv"),
        ("bdt_individuals", "bdt_art_1272.csv"),
    ]
    households = rows[0]
    assert households[2:12] == (
        "csv",
        "utf-8",
        True,
        ";",
        "CRLF",
        ",".join(HOUSEHOLD_HEADERS),
        3,
        0,
        "catatan",
        len(data),
    )
    assert households[12] == hashlib.sha256(data).hexdigest()
    assert "ruta6" in households[13].split(",") and "idbdt" not in households[13].split(",")
    individuals = rows[1]
    assert individuals[4:7] == (False, ",", "LF")


# ---------------------------------------------------------------------------------------------
# verbatim values and exact lines


def test_values_are_kept_exactly(plain_households: tuple[Path, bytes]) -> None:
    out, _ = plain_households
    by_id = {
        r[0]: r[1:]
        for r in fetch(
            out,
            "select idbdt, kdkec, kddesa, nama_krt, alamat, jumlah_art, percentile, catatan "
            "from bdt_households",
        )
    }
    assert by_id["1272010001000001"] == (
        "010",
        "001",
        "BUDI SANTOSO ",
        "JL. MAWAR; NO 5, LK II",
        "4",
        "12",
        "",
    )
    assert by_id["1272010001000002"] == (
        "10",
        "1",
        "NULL",
        'JL. "MELATI"',
        "0000-00-00",
        "1.27405E+15",
        "x",
    )
    assert by_id["1272010001000003"][2:5] == ("SITI\nAMINAH", "", "3")
    assert by_id["1272010001000004"][2] == " AHMAD\tRIZKI"
    # an empty field is '', never NULL; NULL only for a column the file does not have
    nulls = fetch(
        out,
        "select count(*) filter (where alamat is null), count(*) filter (where ruta6 is null), "
        "count(*) from bdt_households",
    )
    assert nulls == [(0, 4, 4)]


def test_quoted_carriage_return_and_multi_line_values_keep_lines_exact(tmp_path: Path) -> None:
    header = "IDBDT;KDPROP;KDKAB;KDKEC;KDDESA;Nama_KRT;Jumlah_ART;percentile\r\n"
    data = (
        header
        + '1272010001000001;12;72;010;001;"BUDI\rSANTOSO";4;1\r\n'  # line 2, \r inside quotes
        + '1272010001000002;12;72;010;001;"SITI\r\nAMINAH\r\nBINTI X";3;2\r\n'  # lines 3-5
        + '1272010001000003;12;72;010;001;"AHMAD ""ACONG""\nRIZKI";2;3\n'  # lines 6-7
        + "1272010001000004;12;72;010;001;DEWI ;1;4"  # line 8, no final line break
    ).encode()
    raw_dir = raw_dir_with(tmp_path, {"bdt_rt.csv": data})
    out = tmp_path / "raw.duckdb"
    load(raw_dir, out)
    rows = fetch(out, "select idbdt, nama_krt, _source_line from bdt_households order by rowid")
    assert rows == [
        ("1272010001000001", "BUDI\rSANTOSO", 2),
        ("1272010001000002", "SITI\r\nAMINAH\r\nBINTI X", 3),
        ("1272010001000003", 'AHMAD "ACONG"\nRIZKI', 6),
        ("1272010001000004", "DEWI ", 8),
    ]
    physical = data.split(b"\n")
    for idbdt, _, line in rows:
        assert physical[line - 1].startswith(idbdt.encode())
    assert fetch(out, "select line_ending from _load_files where file = 'bdt_rt.csv'") == [
        ("mixed",)
    ]


def test_blank_lines_are_skipped_and_counted_lines_stay_exact(tmp_path: Path) -> None:
    lines = csv_bytes(HOUSEHOLD_HEADERS, [r for r in HOUSEHOLD_ROWS if "\n" not in r[5]]).split(
        b"\n"
    )
    data = b"\n".join([lines[0], lines[1], b"", lines[2], b"", b""]) + b"\n" + lines[3] + b"\n"
    raw_dir = raw_dir_with(tmp_path, {"bdt_rt.csv": data})
    out = tmp_path / "raw.duckdb"
    warnings = load(raw_dir, out)
    rows = fetch(out, "select idbdt, _source_line from bdt_households order by rowid")
    assert rows == [("1272010001000001", 2), ("1272010001000002", 4), ("1272010001000004", 7)]
    assert fetch(out, "select empty_rows_skipped from _load_files where file = 'bdt_rt.csv'") == [
        (3,)
    ]
    assert any("3 empty row(s) skipped" in w for w in warnings)


def test_rows_equal_file_lines_minus_one_and_files_are_appended(tmp_path: Path) -> None:
    files = {}
    for name, count in (("bdt_rt_b.csv", 1500), ("bdt_rt_a.csv", 700), ("bdt_rt_c.csv", 1)):
        rows = [
            [f"1272{name[7]}{i:011d}", "12", "72", f"{i % 7:03d}", "1", f"N{i} ", "", "3", "5", ""]
            for i in range(count)
        ]
        files[name] = csv_bytes(HOUSEHOLD_HEADERS, rows, ";")
    raw_dir = raw_dir_with(tmp_path, files)
    out = tmp_path / "raw.duckdb"
    load(raw_dir, out)
    per_file = dict(
        fetch(out, "select _source_file, count(*) from bdt_households group by _source_file")
    )
    assert per_file == {name: data.count(b"\n") - 1 for name, data in files.items()}
    # files in sorted name order, rows in file order
    order = fetch(out, "select _source_file, _source_line from bdt_households order by rowid")
    assert order == sorted(order)
    assert order[0] == ("bdt_rt_a.csv", 2) and order[-1] == ("bdt_rt_c.csv", 2)
    assert fetch(out, "select sum(rows) from _load_files where \"table\" = 'bdt_households'") == [
        (2201,)
    ]


def test_extra_columns_kept_and_missing_optional_columns_null(tmp_path: Path) -> None:
    required = ["IDBDT", "KDPROP", "KDKAB", "KDKEC", "KDDESA", "Jumlah_ART", "percentile"]
    values = ["12", "72", "010", "001", "4", "9"]
    first = csv_bytes([*required, "Alamat", "Zona"], [["1", *values, "JL. A", "z1"]])
    second = csv_bytes([*(h.lower() for h in required), "Catatan Petugas"], [["2", *values, "c2"]])
    raw_dir = raw_dir_with(tmp_path, {"bdt_rt_1.csv": first, "bdt_rt_2.csv": second})
    out = tmp_path / "raw.duckdb"
    warnings = load(raw_dir, out)
    columns = columns_of(out, "bdt_households")
    contract = list(raw_table("bdt_households").column_names)
    assert columns == [
        *contract,
        "zona",
        "catatan_petugas",
        "_source_file",
        "_source_line",
        "_delivery",
    ]
    rows = fetch(out, "select idbdt, alamat, zona, catatan_petugas from bdt_households order by 1")
    assert rows == [("1", "JL. A", "z1", None), ("2", None, None, "c2")]
    assert any("zona" in w and "bdt_rt_1.csv" in w for w in warnings)
    extras = fetch(out, "select file, extra_columns from _load_files order by file")
    assert ("bdt_rt_2.csv", "catatan_petugas") in extras


def test_optional_tables_without_file_are_created_empty(
    plain_households: tuple[Path, bytes],
) -> None:
    out, _ = plain_households
    for identifier in ("pkh_payments", "fkp_sls_results"):
        table = raw_table(identifier)
        lineage = ["_source_file", "_source_line", "_delivery"]
        assert columns_of(out, identifier) == [*table.column_names, *lineage]
        assert fetch(out, f"select count(*) from {identifier}") == [(0,)]


def test_optional_table_files_load_too(tmp_path: Path) -> None:
    headers = ["IDPKH", "NIK_PENERIMA", "TAHUN", "TAHAP", "NOMINAL", "STATUS", "TGL_SALUR"]
    rows = [["P1", "1.27405E+15", "2017", "1", "500000", "SALUR", "0000-00-00"]]
    fkp = csv_bytes(
        ["KDPROP", "KDKAB", "KDKEC", "KDDESA", "Nama_SLS", "Jumlah_Prelist", "Jumlah_Tambahan"],
        [["33", "76", "030", "005", "RW 11", "406", "43"]],
    )
    raw_dir = raw_dir_with(
        tmp_path,
        {
            "pkh_2017_tahap1.csv": csv_bytes(headers, rows),
            "pkh_2017_tahap2.csv": csv_bytes(headers, rows, ";"),
            "FKP_3376.csv": fkp,
            "bdt_rt.csv": csv_bytes(HOUSEHOLD_HEADERS, HOUSEHOLD_ROWS),
        },
    )
    out = tmp_path / "raw.duckdb"
    load(raw_dir, out)
    assert fetch(out, "select _source_file, nik_penerima, tgl_salur from pkh_payments") == [
        ("pkh_2017_tahap1.csv", "1.27405E+15", "0000-00-00"),
        ("pkh_2017_tahap2.csv", "1.27405E+15", "0000-00-00"),
    ]
    assert fetch(out, "select kdkec, jumlah, _source_file from fkp_sls_results") == [
        ("030", None, "FKP_3376.csv")
    ]


def test_reference_folder_loads_reference_tables(tmp_path: Path) -> None:
    reference = tmp_path / "reference"
    (reference / "bps_mfd_2018").mkdir(parents=True)
    provinces = b"kode_provinsi,nama_provinsi\n11,ACEH\n12,SUMATERA UTARA\n"
    (reference / "bps_mfd_2018" / "provinces.csv").write_bytes(provinces)
    (reference / "bps_mfd_2018" / "regencies_old.csv").write_bytes(b"x,y\n1,2\n")
    raw_dir = raw_dir_with(tmp_path, {"bdt_rt.csv": csv_bytes(HOUSEHOLD_HEADERS, HOUSEHOLD_ROWS)})
    out = tmp_path / "raw.duckdb"
    warnings = load(raw_dir, out, reference_dir=reference)
    assert fetch(out, "select * from ref_bps_provinces order by _source_line") == [
        ("11", "ACEH", "bps_mfd_2018/provinces.csv", 2),
        ("12", "SUMATERA UTARA", "bps_mfd_2018/provinces.csv", 3),
    ]
    assert fetch(out, "select count(*) from ref_bps_regencies") == [(0,)]
    assert any("ref_bps_regencies" in w for w in warnings)


def test_reference_lists_reloaded_only_when_their_files_change(tmp_path: Path) -> None:
    reference = tmp_path / "reference"
    (reference / "bps_mfd_2018").mkdir(parents=True)
    provinces = reference / "bps_mfd_2018" / "provinces.csv"
    provinces.write_bytes(b"kode_provinsi,nama_provinsi\n11,ACEH\n")
    raw_dir = raw_dir_with(tmp_path, {"bdt_rt.csv": csv_bytes(HOUSEHOLD_HEADERS, HOUSEHOLD_ROWS)})
    out = tmp_path / "raw.duckdb"
    read_back = (
        "select raw.kode_provinsi, raw.nama_provinsi, typed.province_name, files.sha256 "
        "from ref_bps_provinces as raw join ref_bps_provinces__typed as typed "
        "on raw._source_line = typed._source_line join _load_files as files "
        "on files.file = raw._source_file order by raw._source_line"
    )
    load(raw_dir, out, reference_dir=reference)
    first = fetch(out, read_back)
    assert first == [("11", "ACEH", "ACEH", hashlib.sha256(provinces.read_bytes()).hexdigest())]
    load(raw_dir, out, reference_dir=reference)  # same files: kept as they were
    assert fetch(out, read_back) == first
    provinces.write_bytes(b"kode_provinsi,nama_provinsi\n11, ACEH \n12,SUMATERA UTARA\n")
    load(raw_dir, out, reference_dir=reference)  # changed: read again, typed again
    digest = hashlib.sha256(provinces.read_bytes()).hexdigest()
    assert fetch(out, read_back) == [
        ("11", " ACEH ", "ACEH", digest),
        ("12", "SUMATERA UTARA", "SUMATERA UTARA", digest),
    ]
    provinces.unlink()
    load(raw_dir, out, reference_dir=reference)  # gone: the table is emptied
    assert fetch(out, "select count(*) from ref_bps_provinces__typed") == [(0,)]


# ---------------------------------------------------------------------------------------------
# Excel cells as text


def test_excel_cells_as_faithful_text(tmp_path: Path) -> None:
    assert cell_text(None) == ""
    assert cell_text("010 ") == "010 "
    assert cell_text(123) == "123"
    assert cell_text(12.0) == "12"
    assert cell_text(-3.0) == "-3"
    assert cell_text(1.5) == "1.5"
    assert cell_text(1274050000000000.0) == "1274050000000000.0"
    assert cell_text(999999999999999.0) == "999999999999999"
    assert cell_text(dt.datetime(1975, 5, 2)) == "1975-05-02"
    assert cell_text(dt.datetime(2017, 5, 2, 13, 30)) == "2017-05-02 13:30:00"
    assert cell_text(dt.date(2017, 5, 2)) == "2017-05-02"
    assert cell_text(True) == "TRUE"
    rows = [
        ["1272010001000001", 12, 72, 10, 1.0, "BUDI", None, 4, 12.5, dt.datetime(2017, 1, 2)],
        [None] * 10,
        ["1272010001000002", "12", "72", "010", "001", "NULL", "", "3", "", ""],
    ]
    write_xlsx(tmp_path / "bdt_rt.xlsx", HOUSEHOLD_HEADERS, rows)
    raw_dir = raw_dir_with(tmp_path, {})
    (raw_dir / "bdt_rt.xlsx").write_bytes((tmp_path / "bdt_rt.xlsx").read_bytes())
    out = tmp_path / "raw.duckdb"
    load(raw_dir, out)
    assert fetch(
        out,
        "select kdprop, kdkec, kddesa, alamat, percentile, catatan, _source_line "
        "from bdt_households order by rowid",
    ) == [
        ("12", "10", "1", "", "12.5", "2017-01-02", 2),
        ("12", "010", "001", "", "", "", 4),
    ]
    assert fetch(
        out, "select empty_rows_skipped, format from _load_files where file like '%x'"
    ) == [(1, "xlsx")]


# ---------------------------------------------------------------------------------------------
# bad files: a clear error naming the file, the line and the problem


def _bad_households(tmp_path: Path, data: bytes, name: str = "bdt_rt_1272.csv") -> Path:
    return raw_dir_with(tmp_path, {name: data})


def load_error(raw_dir: Path, out: Path, **options: object) -> str:
    with pytest.raises(RawFileError) as caught:
        load(raw_dir, out, **options)
    return str(caught.value)


def test_missing_required_column_is_named(tmp_path: Path) -> None:
    headers = [h for h in HOUSEHOLD_HEADERS if h not in ("KDKEC", "percentile")]
    rows = [
        [v for h, v in zip(HOUSEHOLD_HEADERS, r, strict=True) if h in headers]
        for r in HOUSEHOLD_ROWS
    ]
    raw_dir = _bad_households(tmp_path, csv_bytes(headers, rows))
    message = load_error(raw_dir, tmp_path / "raw.duckdb")
    assert message == (
        f"{raw_dir / 'bdt_rt_1272.csv'}: missing required column(s) KDKEC, percentile "
        f"(headers are matched in any letter case; found: {', '.join(headers)})"
    )


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"", "bdt_rt_1272.csv: the file is empty"),
        (b"\xef\xbb\xbf\r\n", "bdt_rt_1272.csv: the file is empty"),
        (
            b"IDBDT KDPROP KDKAB\n1 2 3\n",
            "bdt_rt_1272.csv: line 1: no delimiter (',' ';' tab '|') in the header line",
        ),
        (b"\xff\xfeI\x00D\x00", "bdt_rt_1272.csv: the file is UTF-16"),
        (
            b"IDBDT,KDPROP,KDKAB,KDKEC,KDDESA,Jumlah_ART,percentile,idbdt\n",
            "bdt_rt_1272.csv: line 1: headers 'IDBDT' (column 1) and 'idbdt' (column 8) both read "
            "as 'idbdt'",
        ),
        (
            b"IDBDT,KDPROP,KDKAB,KDKEC,KDDESA,Jumlah_ART,percentile,_Source_Line\n",
            "line 1: header '_Source_Line' (column 8) takes the name of the loader's column",
        ),
    ],
    ids=["empty", "bom_only", "no_delimiter", "utf16", "duplicate_headers", "reserved_header"],
)
def test_bad_header_errors(tmp_path: Path, data: bytes, expected: str) -> None:
    message = load_error(_bad_households(tmp_path, data), tmp_path / "raw.duckdb")
    assert expected in message


def test_wrong_field_count_names_the_line(tmp_path: Path) -> None:
    good = csv_bytes(HOUSEHOLD_HEADERS, HOUSEHOLD_ROWS, ";")
    # a record written with ',' in a ';' file: one field where the header has 10
    bad = good + b'1272010001000009,12,72,010,001,"A;B",3,4,\n' + b"1;2;3;4;5;6;7;8;9;10\n"
    raw_dir = _bad_households(tmp_path, bad)
    message = load_error(raw_dir, tmp_path / "raw.duckdb")
    line = bad.count(b"\n") - 1  # the record before the last line
    assert message == (
        f"{raw_dir / 'bdt_rt_1272.csv'}: line {line}: 2 fields where the header has 10 "
        "(delimiter ';' detected from the header line)"
    )


def test_wrong_delimiter_in_a_large_file_names_the_line(tmp_path: Path) -> None:
    rows = [
        [f"{i:016d}", "12", "72", "010", "001", f"N\n{i}", "", "3", "5", ""] for i in range(40_000)
    ]
    data = csv_bytes(HOUSEHOLD_HEADERS, rows, ";")
    cut = data.index(b"0000000000031234")
    bad = data[:cut] + data[cut:].replace(b";", b",", 1)
    raw_dir = _bad_households(tmp_path, bad)
    message = load_error(raw_dir, tmp_path / "raw.duckdb")
    line = bad[:cut].count(b"\n") + 1
    assert f"bdt_rt_1272.csv: line {line}: 9 fields where the header has 10" in message


def test_invalid_utf8_names_line_and_offset(tmp_path: Path) -> None:
    """An encoding given explicitly that does not decode a file is an error."""
    data = csv_bytes(HOUSEHOLD_HEADERS, HOUSEHOLD_ROWS).replace(b"BUDI", b"B\xe9DI")
    raw_dir = _bad_households(tmp_path, data)
    message = load_error(raw_dir, tmp_path / "raw.duckdb", encoding="utf-8")
    offset = data.index(b"\xe9")
    line = data[:offset].count(b"\n") + 1
    assert message == (
        f"{raw_dir / 'bdt_rt_1272.csv'}: line {line}: not valid UTF-8 (byte 0xE9 at offset "
        f"{offset}), the encoding given by --encoding; pass the file's own (--encoding "
        "PATTERN=ENC), or no --encoding to have it detected"
    )


def test_invalid_utf8_far_into_a_file(tmp_path: Path) -> None:
    rows = [
        [f"{i:016d}", "12", "72", "010", "001", "NAMA", "", "3", "5", ""] for i in range(60_000)
    ]
    data = bytearray(csv_bytes(HOUSEHOLD_HEADERS, rows))
    offset = data.index(b"0000000000054321") + 17
    data[offset] = 0xC3  # a lone lead byte
    raw_dir = _bad_households(tmp_path, bytes(data))
    message = load_error(raw_dir, tmp_path / "raw.duckdb", encoding="utf-8")
    line = data[:offset].count(b"\n") + 1
    assert f": line {line}: not valid UTF-8 (byte 0xC3 at offset {offset})," in message


def test_encoding_cp1252(tmp_path: Path) -> None:
    rows = [r[:] for r in HOUSEHOLD_ROWS]
    rows[0][5] = "JOSÉ ÑOÑO ’"
    data = csv_bytes(HOUSEHOLD_HEADERS, rows, ";", encoding="cp1252")
    raw_dir = _bad_households(tmp_path, data)
    out = tmp_path / "raw.duckdb"
    assert "not valid UTF-8" in load_error(raw_dir, out, encoding="utf-8")
    load(raw_dir, out, encoding="cp1252")
    assert data_rows(out) == expected_households(rows)
    encodings = fetch(out, "select file, encoding from _load_files order by file")
    assert encodings == [("bdt_art_1272.csv", "cp1252"), ("bdt_rt_1272.csv", "cp1252")]


def test_carriage_return_outside_quotes_is_an_error(tmp_path: Path) -> None:
    data = csv_bytes(HOUSEHOLD_HEADERS, HOUSEHOLD_ROWS[:2], line_ending="\r\n")
    bad = data.replace(b"BUDI SANTOSO \r\n", b"BUDI SANTOSO \r\r\n").replace(b"x\r\n", b"x\r\r\n")
    raw_dir = _bad_households(tmp_path, bad)
    message = load_error(raw_dir, tmp_path / "raw.duckdb")
    assert "bdt_rt_1272.csv: line 3: a carriage return (\\r) outside quotes" in message


def test_unclosed_quote_is_an_error(tmp_path: Path) -> None:
    data = csv_bytes(HOUSEHOLD_HEADERS, HOUSEHOLD_ROWS) + b'9,12,72,010,001,"OPEN,,3,5,\n'
    message = load_error(_bad_households(tmp_path, data), tmp_path / "raw.duckdb")
    assert "bdt_rt_1272.csv: line 7: " in message and "field" in message


def test_header_only_file_loads_zero_rows_with_a_warning(tmp_path: Path) -> None:
    raw_dir = raw_dir_with(
        tmp_path,
        {
            "bdt_rt_1.csv": csv_bytes(HOUSEHOLD_HEADERS, HOUSEHOLD_ROWS),
            "bdt_rt_2.csv": ",".join(HOUSEHOLD_HEADERS).encode(),  # no line break either
        },
    )
    out = tmp_path / "raw.duckdb"
    warnings = load(raw_dir, out)
    assert any("bdt_rt_2.csv: no rows" in w for w in warnings)
    assert fetch(out, "select file, rows, line_ending from _load_files order by file")[1:] == [
        ("bdt_rt_1.csv", 4, "LF"),
        ("bdt_rt_2.csv", 0, "none"),
    ]


def test_unmatched_files_are_warned_and_manifests_ignored(tmp_path: Path) -> None:
    raw_dir = raw_dir_with(
        tmp_path,
        {
            "bdt_rt.csv": csv_bytes(HOUSEHOLD_HEADERS, HOUSEHOLD_ROWS),
            "manifest.json": b"{}",
            "manifest_2017.csv": b"a,b\n",
            "catatan.docx": b"x",
            "bdt_rt_old.xls": b"x",
        },
    )
    (raw_dir / "old").mkdir()
    warnings = load(raw_dir, tmp_path / "raw.duckdb")
    skipped = [w for w in warnings if "matches no raw table" in w]
    assert [w.split(":")[0] for w in skipped] == [
        str(raw_dir / "bdt_rt_old.xls"),
        str(raw_dir / "catatan.docx"),
    ]
    assert "bdt_rt*.csv|txt|xlsx|parquet" in skipped[0]


def test_required_table_without_file_names_the_patterns(tmp_path: Path) -> None:
    raw_dir = raw_dir_with(tmp_path, {"pkh_1.csv": b"IDPKH\n"}, individuals=False)
    message = load_error(raw_dir, tmp_path / "raw.duckdb")
    assert message == (
        f"{raw_dir}: no file for the required raw table(s) bdt_households "
        "(bdt_rt*.csv|txt|xlsx|parquet); bdt_individuals (bdt_art*.csv|txt|xlsx|parquet); "
        "letter case ignored"
    )


def test_file_matching_two_tables_is_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import dataclasses

    from scripts.load import discover

    tables = discover.export_tables()
    greedy = dataclasses.replace(tables[3], file_patterns=("*",))
    monkeypatch.setattr(discover, "export_tables", lambda: (*tables[:3], greedy))
    raw_dir = raw_dir_with(tmp_path, {"bdt_rt.csv": csv_bytes(HOUSEHOLD_HEADERS, HOUSEHOLD_ROWS)})
    message = load_error(raw_dir, tmp_path / "raw.duckdb")
    assert "bdt_art_1272.csv: the file name matches two raw tables: bdt_individuals and " in message


def test_excel_sheet_with_a_wrong_recorded_dimension_loads_every_cell(tmp_path: Path) -> None:
    write_xlsx(tmp_path / "book.xlsx", HOUSEHOLD_HEADERS, HOUSEHOLD_ROWS)
    raw_dir = raw_dir_with(tmp_path, {})
    with (
        zipfile.ZipFile(tmp_path / "book.xlsx") as source,
        zipfile.ZipFile(raw_dir / "bdt_rt.xlsx", "w") as target,
    ):
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                wrong = b'<dimension ref="A1:B2"'
                data, replaced = re.subn(rb'<dimension ref="[^"]*"', wrong, data)
                assert replaced == 1
            target.writestr(item, data)
    out = tmp_path / "raw.duckdb"
    load(raw_dir, out)
    assert data_rows(out) == expected_households()


def test_excel_value_without_header_is_an_error(tmp_path: Path) -> None:
    rows = [[*HOUSEHOLD_ROWS[0], None, "stray"]]
    write_xlsx(tmp_path / "bdt_rt.xlsx", HOUSEHOLD_HEADERS, rows)
    raw_dir = raw_dir_with(tmp_path, {})
    (raw_dir / "bdt_rt.xlsx").write_bytes((tmp_path / "bdt_rt.xlsx").read_bytes())
    message = load_error(raw_dir, tmp_path / "raw.duckdb")
    assert message.endswith(
        "bdt_rt.xlsx: row 2: column L: a value ('stray') in a column without "
        "header; give the column a header or clear it"
    )


# ---------------------------------------------------------------------------------------------
# all or nothing, idempotent


def test_failed_load_leaves_the_existing_database_untouched(tmp_path: Path) -> None:
    raw_dir = raw_dir_with(tmp_path, {"bdt_rt.csv": csv_bytes(HOUSEHOLD_HEADERS, HOUSEHOLD_ROWS)})
    out = tmp_path / "warehouse" / "raw.duckdb"
    load(raw_dir, out)
    before = out.read_bytes()
    # a bad file sorted after good ones: the good ones load first, then the error
    (raw_dir / "bdt_rt_z.csv").write_bytes(
        csv_bytes(HOUSEHOLD_HEADERS, HOUSEHOLD_ROWS) + b"1,2,3\n"
    )
    message = load_error(raw_dir, out)
    assert "bdt_rt_z.csv: line 7: 3 fields where the header has 10" in message
    assert out.read_bytes() == before
    assert sorted(p.name for p in out.parent.iterdir()) == ["raw.duckdb", "raw.duckdb.lock"]


def test_reload_gives_identical_tables(tmp_path: Path) -> None:
    files = {
        "bdt_rt_1.csv": csv_bytes(HOUSEHOLD_HEADERS, HOUSEHOLD_ROWS, ";", "\r\n"),
        "pkh_2016_tahap1.csv": b"IDPKH,NIK_PENERIMA,TAHUN,TAHAP,NOMINAL,STATUS\nP,1,2,3,4,5\n",
    }
    raw_dir = raw_dir_with(tmp_path, files)
    write_xlsx(raw_dir / "bdt_rt_2.xlsx", HOUSEHOLD_HEADERS, HOUSEHOLD_ROWS)
    write_parquet(raw_dir / "bdt_art_2.parquet", INDIVIDUAL_HEADERS, INDIVIDUAL_ROWS)
    first, second = tmp_path / "first.duckdb", tmp_path / "second.duckdb"
    load(raw_dir, first)
    load(raw_dir, second)
    load(raw_dir, second)  # over an existing database
    tables = [r[0] for r in fetch(first, "select table_name from information_schema.tables")]
    assert len(tables) == len(set(tables)) >= 5
    # `_load` and `_deliveries` record each load itself (its id, process, time): they differ
    for table in sorted(set(tables) - {"_load", "_deliveries"}):
        assert table_digest(first, table) == table_digest(second, table), table
    assert fetch(first, "select count(*) from _load") == [(1,)]
    assert fetch(first, "select count(*) from bdt_households") == [(8,)]


# ---------------------------------------------------------------------------------------------
# the CLI


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "scripts.load", *args],
        cwd=PROJECT_DIR,
        env={"PYTHONPATH": str(PROJECT_DIR), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=False,
    )


def test_cli_loads_and_reports_errors_without_traceback(tmp_path: Path) -> None:
    raw_dir = raw_dir_with(tmp_path, {"bdt_rt.csv": csv_bytes(HOUSEHOLD_HEADERS, HOUSEHOLD_ROWS)})
    out = tmp_path / "raw.duckdb"
    done = run_cli("--raw-dir", str(raw_dir), "--out", str(out), "--no-progress")
    assert done.returncode == 0, done.stderr
    assert "bdt_households: 4 rows from 1 file(s)" in done.stdout
    assert "bdt_individuals: 2 rows from 1 file(s)" in done.stdout
    (raw_dir / "bdt_art_1272.csv").write_bytes(b"")
    failed = run_cli("--raw-dir", str(raw_dir), "--out", str(out), "--no-progress")
    assert failed.returncode == 2
    assert failed.stderr.strip().splitlines()[-1] == (
        f"error: {raw_dir / 'bdt_art_1272.csv'}: the file is empty"
    )
    assert "Traceback" not in failed.stderr
    bad_encoding = run_cli("--raw-dir", str(raw_dir), "--out", str(out), "--encoding", "utf-16")
    assert bad_encoding.returncode == 2 and "is not supported" in bad_encoding.stderr


def test_parquet_in_place_gives_the_same_raw_tables_as_a_copy(tmp_path: Path) -> None:
    """Parquet read where it lies (views) equals the copy: columns, values, file and row of
    origin, and the file descriptions; across two files with different columns."""
    headers = [*HOUSEHOLD_HEADERS, "Catatan"]
    rows = [[*row, f"note {i}"] for i, row in enumerate(HOUSEHOLD_ROWS)]
    raw_dir = raw_dir_with(tmp_path, {})
    write_parquet(raw_dir / "bdt_rt_a.parquet", headers, rows)
    write_parquet(raw_dir / "bdt_rt_b.parquet", HOUSEHOLD_HEADERS, HOUSEHOLD_ROWS[:2])
    copied, in_place = tmp_path / "copied.duckdb", tmp_path / "in_place.duckdb"
    load(raw_dir, copied)
    load(raw_dir, in_place, parquet_in_place=True)
    assert fetch(in_place, "select table_type from information_schema.tables"
                 " where table_name = 'bdt_households'") == [("VIEW",)]  # fmt: skip
    assert columns_of(in_place, "bdt_households") == columns_of(copied, "bdt_households")
    for table in ("bdt_households", "bdt_individuals", "_load_files"):
        assert table_digest(in_place, table) == table_digest(copied, table), table
    lines = fetch(in_place, "select _source_file, _source_line from bdt_households order by 1, 2")
    assert lines == [("bdt_rt_a.parquet", n) for n in range(1, len(rows) + 1)] + [
        ("bdt_rt_b.parquet", 1),
        ("bdt_rt_b.parquet", 2),
    ]


# ---------------------------------------------------------------------------------------------
# duplicate files


def test_byte_identical_duplicate_file_is_skipped_and_recorded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = csv_bytes(HOUSEHOLD_HEADERS, HOUSEHOLD_ROWS)
    same_size = data.replace(b"1272010001000001", b"1272010001000009")  # other bytes: loaded
    smaller = csv_bytes(HOUSEHOLD_HEADERS, HOUSEHOLD_ROWS[:1])
    raw_dir = raw_dir_with(
        tmp_path,
        {
            "bdt_rt_1272.csv": data,
            "bdt_rt_1272 (1).csv": data,  # a second download of the same file
            "bdt_rt_1273.csv": same_size,
            "bdt_rt_1274.csv": smaller,
        },
    )
    out = tmp_path / "raw.duckdb"
    warnings = load(raw_dir, out)
    per_file = fetch(out, "select _source_file, count(*) from bdt_households group by 1 order by 1")
    assert per_file == [("bdt_rt_1272.csv", 4), ("bdt_rt_1273.csv", 4), ("bdt_rt_1274.csv", 1)]
    copy, kept = raw_dir / "bdt_rt_1272 (1).csv", raw_dir / "bdt_rt_1272.csv"
    assert f"{copy}: byte-identical to {kept} (same size and SHA-256); skipped" in warnings
    assert fetch(
        out,
        "select rows, skipped_reason, duplicate_of, bytes, sha256, format from _load_files "
        "where file = 'bdt_rt_1272 (1).csv'",
    ) == [(0, "duplicate", "bdt_rt_1272.csv", len(data), hashlib.sha256(data).hexdigest(), "csv")]
    assert fetch(out, "select count(*) from _load_files where skipped_reason is null") == [(4,)]

    # only the files of equal size are hashed to find copies
    from scripts.load import duplicates

    hashed: list[str] = []
    digest = duplicates.file_digest

    def spy(path: Path, *args: Any) -> tuple[int, str]:
        hashed.append(path.name)
        return digest(path, *args)

    monkeypatch.setattr(duplicates, "file_digest", spy)
    load(raw_dir, out)
    assert sorted(hashed) == ["bdt_rt_1272 (1).csv", "bdt_rt_1272.csv", "bdt_rt_1273.csv"]


# ---------------------------------------------------------------------------------------------
# encodings: detected per file, or given per file pattern; the reference lists are UTF-8


def _households_named(names: Sequence[str]) -> list[list[str]]:
    """HOUSEHOLD_ROWS with these heads' names (the first rows), other identifiers."""
    rows = [[f"127201000{n:07d}", *r[1:]] for n, r in enumerate(HOUSEHOLD_ROWS[: len(names)])]
    for row, name in zip(rows, names, strict=True):
        row[5] = name
    return rows


def test_encoding_is_detected_per_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cp1252 = csv_bytes(HOUSEHOLD_HEADERS, _households_named(["JOSÉ ’"]), encoding="cp1252")
    latin1 = csv_bytes(  # 0x90 is undefined in cp1252 (and not UTF-8)
        HOUSEHOLD_HEADERS, _households_named(["SITI \x90"]), encoding="latin-1"
    )
    utf8 = csv_bytes(HOUSEHOLD_HEADERS, _households_named(["JOSÉ ’"]))
    files = {"bdt_rt_a.csv": cp1252, "bdt_rt_b.csv": latin1, "bdt_rt_c.csv": utf8}
    raw_dir = raw_dir_with(tmp_path, files)
    out = tmp_path / "raw.duckdb"
    warnings = load(raw_dir, out)
    assert fetch(out, "select _source_file, nama_krt from bdt_households order by 1") == [
        ("bdt_rt_a.csv", "JOSÉ ’"),
        ("bdt_rt_b.csv", "SITI \x90"),
        ("bdt_rt_c.csv", "JOSÉ ’"),
    ]
    assert fetch(out, "select file, encoding from _load_files order by file") == [
        ("bdt_art_1272.csv", "utf-8"),
        ("bdt_rt_a.csv", "cp1252"),
        ("bdt_rt_b.csv", "iso8859-1"),
        ("bdt_rt_c.csv", "utf-8"),
    ]
    a, b = raw_dir / "bdt_rt_a.csv", raw_dir / "bdt_rt_b.csv"
    assert [w for w in warnings if "not valid" in w] == [
        f"{a}: line 2: not valid UTF-8 (byte 0xC9 at offset {cp1252.index(0xC9)}); "
        "read as cp1252 instead",
        f"{b}: line 2: not valid UTF-8 (byte 0x90 at offset {latin1.index(0x90)}); "
        "read as cp1252 instead",
        f"{b}: line 2: not valid cp1252 (byte 0x90 at offset {latin1.index(0x90)}); "
        "read as iso8859-1 instead",
    ]
    stderr = capsys.readouterr().err
    assert f"note: {raw_dir / 'bdt_rt_c.csv'}: read as utf-8 (detected)" in stderr


def test_guessed_encoding_failing_further_on_reads_the_file_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Valid UTF-8 for its first MiBs, then a cp1252 byte: the file is read again as cp1252,
    and the rows the failed attempt had already handed to DuckDB are not kept."""
    from scripts.load import database, delimited

    monkeypatch.setattr(delimited, "BLOCK_SIZE", 1 << 16)  # small batches, early inserts
    rows = [
        [f"{i:016d}", "12", "72", "010", "001", "NAMA", "", "3", "5", ""] for i in range(60_000)
    ]
    rows[-10][5] = "JOSÉ"
    data = csv_bytes(HOUSEHOLD_HEADERS, rows, encoding="cp1252")
    offset = data.index(0xC9)
    assert offset > delimited.HEADER_LIMIT  # beyond the head that detection looks at
    raw_dir = _bad_households(tmp_path, data)
    handed: list[int] = []  # rows handed to DuckDB, per attempt at the households file
    insert_batches = database.RawDatabase.insert_batches

    def counting(
        self: database.RawDatabase,
        table: str,
        source: str,
        batches: Generator[Any, None, None],
        delivery: str | None,
    ) -> None:
        if table != "bdt_households":
            return insert_batches(self, table, source, batches, delivery)
        handed.append(0)

        def counted() -> Generator[Any, None, None]:
            try:
                for batch in batches:
                    handed[-1] += batch.num_rows
                    yield batch
            finally:
                batches.close()

        return insert_batches(self, table, source, counted(), delivery)

    monkeypatch.setattr(database.RawDatabase, "insert_batches", counting)
    out = tmp_path / "raw.duckdb"
    warnings = load(raw_dir, out)
    assert len(handed) == 2 and handed[0] > 0 and handed[1] == len(rows)
    assert fetch(out, "select count(*), count(distinct idbdt) from bdt_households") == [
        (len(rows), len(rows))
    ]
    assert fetch(out, "select nama_krt from bdt_households where nama_krt <> 'NAMA'") == [("JOSÉ",)]
    assert fetch(out, "select encoding, rows from _load_files where file = 'bdt_rt_1272.csv'") == [
        ("cp1252", len(rows))
    ]
    line = data[:offset].count(b"\n") + 1
    assert (
        f"{raw_dir / 'bdt_rt_1272.csv'}: line {line}: not valid UTF-8 (byte 0xC9 at offset "
        f"{offset}); read as cp1252 instead (the file is read again from its start)"
    ) in warnings


def test_plain_encoding_applies_to_the_exports_not_to_the_reference_lists(tmp_path: Path) -> None:
    reference = tmp_path / "reference"
    (reference / "bps_mfd_2018").mkdir(parents=True)
    districts = "kode_kecamatan,kode_kabupaten,nama_kecamatan\n9433042,9433,MAGEÁBUME\n"
    (reference / "bps_mfd_2018" / "districts.csv").write_bytes(districts.encode())  # Á: C3 81
    rows = _households_named(["JOSÉ ’"])
    raw_dir = raw_dir_with(
        tmp_path, {"bdt_rt.csv": csv_bytes(HOUSEHOLD_HEADERS, rows, encoding="cp1252")}
    )
    out = tmp_path / "raw.duckdb"
    load(raw_dir, out, encoding="cp1252", reference_dir=reference)
    assert fetch(out, "select nama_kecamatan from ref_bps_districts") == [("MAGEÁBUME",)]
    assert fetch(out, "select nama_krt from bdt_households") == [("JOSÉ ’",)]
    assert fetch(out, "select file, encoding from _load_files order by file") == [
        ("bdt_art_1272.csv", "cp1252"),
        ("bdt_rt.csv", "cp1252"),
        ("bps_mfd_2018/districts.csv", "utf-8"),
    ]


def test_cli_encoding_per_file_pattern(tmp_path: Path) -> None:
    rows = _households_named(["JOSÉ ’"])
    data = csv_bytes(HOUSEHOLD_HEADERS, rows, encoding="cp1252")
    raw_dir = raw_dir_with(tmp_path, {"BDT_RT_1272.csv": data})
    out = tmp_path / "raw.duckdb"
    arguments = ("--raw-dir", str(raw_dir), "--out", str(out), "--no-progress")
    done = run_cli(*arguments, "--encoding", "bdt_rt*=latin-1", "--encoding", "pkh*=cp1252")
    assert done.returncode == 0, done.stderr
    assert fetch(out, "select nama_krt from bdt_households") == [("JOSÉ \x92",)]  # as latin-1
    assert fetch(out, "select file, encoding from _load_files order by file") == [
        ("BDT_RT_1272.csv", "iso8859-1"),
        ("bdt_art_1272.csv", "utf-8"),
    ]
    assert f"note: {raw_dir / 'BDT_RT_1272.csv'}: read as iso8859-1 (--encoding)" in done.stderr
    assert f"note: {raw_dir / 'bdt_art_1272.csv'}: read as utf-8 (detected)" in done.stderr
    assert f"warning: --encoding pkh*=cp1252: matches no raw file of {raw_dir}" in done.stderr
    bad = run_cli(*arguments, "--encoding", "=cp1252")
    assert bad.returncode == 2 and "--encoding: '=cp1252': no file-name pattern" in bad.stderr


# ---------------------------------------------------------------------------------------------
# title rows above the header


TITLE_ROWS = [["DATA BDT KOTA TANJUNG BALAI"], ["Keadaan 31 Desember 2017"], []]


def test_title_rows_above_the_header_of_a_workbook_are_skipped(tmp_path: Path) -> None:
    raw_dir = raw_dir_with(tmp_path, {})
    write_sheet(raw_dir / "bdt_rt_1272.xlsx", [*TITLE_ROWS, HOUSEHOLD_HEADERS, *HOUSEHOLD_ROWS])
    out = tmp_path / "raw.duckdb"
    warnings = load(raw_dir, out)
    assert data_rows(out) == expected_households()
    lines = [r[0] for r in fetch(out, "select _source_line from bdt_households order by rowid")]
    assert lines == [5, 6, 7, 8]  # sheet rows
    assert fetch(
        out, "select header_row, header_line, rows from _load_files where file like '%.xlsx'"
    ) == [(4, ",".join(HOUSEHOLD_HEADERS), 4)]
    path = raw_dir / "bdt_rt_1272.xlsx"
    assert f"{path}: 3 row(s) above the header skipped (header on row 4)" in warnings


def test_title_lines_above_the_header_of_a_csv_are_skipped(tmp_path: Path) -> None:
    title = b"DATA BDT KOTA TANJUNG BALAI;;;\r\nKeadaan: 31-12-2017\r\n\r\n"
    body = csv_bytes(HOUSEHOLD_HEADERS, HOUSEHOLD_ROWS, ";", "\r\n")
    raw_dir = _bad_households(tmp_path, title + body)
    out = tmp_path / "raw.duckdb"
    warnings = load(raw_dir, out)
    assert data_rows(out) == expected_households()
    lines = [r[0] for r in fetch(out, "select _source_line from bdt_households order by rowid")]
    assert lines == [line + 3 for line in record_lines(body, ";")]  # physical lines
    assert fetch(
        out, "select header_row, delimiter, rows from _load_files where file = 'bdt_rt_1272.csv'"
    ) == [(4, ";", 4)]
    path = raw_dir / "bdt_rt_1272.csv"
    assert f"{path}: 3 line(s) above the header skipped (header on line 4)" in warnings


def test_cli_header_row_given_per_file_pattern(tmp_path: Path) -> None:
    """A header further down than the loader searches, given with --header-row PATTERN=N."""
    titles = [[f"LAPORAN BAGIAN {n}"] for n in range(24)]
    raw_dir = raw_dir_with(tmp_path, {})
    write_sheet(raw_dir / "bdt_rt_1272.xlsx", [*titles, HOUSEHOLD_HEADERS, *HOUSEHOLD_ROWS])
    out = tmp_path / "raw.duckdb"
    arguments = ("--raw-dir", str(raw_dir), "--out", str(out), "--no-progress")
    done = run_cli(*arguments, "--header-row", "bdt_rt*=25")
    assert done.returncode == 0, done.stderr
    assert data_rows(out) == expected_households()
    assert fetch(out, "select min(_source_line), max(_source_line) from bdt_households") == [
        (26, 29)
    ]
    assert fetch(out, "select file, header_row from _load_files order by file") == [
        ("bdt_art_1272.csv", 1),
        ("bdt_rt_1272.xlsx", 25),
    ]
    bad = run_cli(*arguments, "--header-row", "bdt_rt*=0")
    assert bad.returncode == 2 and "--header-row: header row '0' is not" in bad.stderr


# ---------------------------------------------------------------------------------------------
# files of another layout


def test_file_of_another_layout_is_skipped_with_a_warning(tmp_path: Path) -> None:
    headers = ["IDPKH", "NIK_PENERIMA", "TAHUN", "TAHAP", "NOMINAL", "STATUS"]
    raw_dir = raw_dir_with(
        tmp_path,
        {
            "bdt_rt.csv": csv_bytes(HOUSEHOLD_HEADERS, HOUSEHOLD_ROWS),
            "pkh_2017_tahap1.csv": csv_bytes(headers, [["P1", "1", "2017", "1", "500000", "S"]]),
        },
    )
    summary = [
        ["REKAP PKH PER KECAMATAN"],
        [],
        ["KECAMATAN", "JUMLAH_KPM", "TAHAP", "NOMINAL"],
        ["DATUK BANDAR", 1200, 1, 600_000_000],
    ]
    write_sheet(raw_dir / "pkh_rekap_kecamatan.xlsx", summary)
    out = tmp_path / "raw.duckdb"
    warnings = load(raw_dir, out)
    assert fetch(out, "select _source_file, idpkh from pkh_payments") == [
        ("pkh_2017_tahap1.csv", "P1")
    ]
    path = raw_dir / "pkh_rekap_kecamatan.xlsx"
    assert (
        f"{path}: not the layout of raw table pkh_payments: it lacks IDPKH, NIK_PENERIMA, TAHUN, "
        "STATUS (fewer than 50% of the table's required columns in any of its first 20 rows); "
        "skipped"
    ) in warnings
    assert fetch(
        out,
        "select rows, skipped_reason, missing_required_columns, header_row from _load_files "
        "where file = 'pkh_rekap_kecamatan.xlsx'",
    ) == [(0, "other_layout", "idpkh,nik_penerima,tahun,status", None)]


def test_required_table_left_without_file_by_a_skipped_layout_is_an_error(tmp_path: Path) -> None:
    raw_dir = raw_dir_with(
        tmp_path, {"bdt_rt_rekap.csv": b"KECAMATAN,JUMLAH_RUTA\nDATUK BANDAR,1200\n"}
    )
    message = load_error(raw_dir, tmp_path / "raw.duckdb")
    assert message == (
        f"{raw_dir}: no file for the required raw table(s) bdt_households "
        "(bdt_rt*.csv|txt|xlsx|parquet); letter case ignored"
    )


# ---------------------------------------------------------------------------------------------
# the carriage-return hint of a wrong field count


def test_no_carriage_return_hint_for_a_carriage_return_far_from_the_faulty_record(
    tmp_path: Path,
) -> None:
    rows = [[f"{i:016d}", "12", "72", "010", "001", "NAMA", "", "3", "5", ""] for i in range(300)]
    rows[200][5] = "BUDI\rSANTOSO"  # quoted: a valid value, far after the faulty record
    data = csv_bytes(HOUSEHOLD_HEADERS, rows)
    lines = data.split(b"\n")
    bad = b"\n".join([*lines[:3], b"1,2,3", *lines[3:]])  # line 4
    raw_dir = _bad_households(tmp_path, bad)
    message = load_error(raw_dir, tmp_path / "raw.duckdb")
    assert message == (
        f"{raw_dir / 'bdt_rt_1272.csv'}: line 4: 3 fields where the header has 10 "
        "(delimiter ',' detected from the header line)"
    )


def test_carriage_return_hint_for_a_record_split_by_one(tmp_path: Path) -> None:
    data = csv_bytes(HOUSEHOLD_HEADERS, HOUSEHOLD_ROWS[:2])
    bad = data + b"1272010001000009,12,72,010\r,001,NAMA,,3,5,\n"  # line 4
    message = load_error(_bad_households(tmp_path, bad), tmp_path / "raw.duckdb")
    assert message.endswith(
        "bdt_rt_1272.csv: line 4: 4 fields where the header has 10 (delimiter ',' detected "
        "from the header line); a carriage return (\\r) outside quotes may have split the record"
    )


# ---------------------------------------------------------------------------------------------
# deliveries: a folder of files with an as-of date; several kept side by side

MORE_HOUSEHOLDS = [
    ["1272010001000005", "12", "72", "010", "001", "RINA", "GG. MAJU", "2", "33", ""],
    ["1272010001000006", "12", "72", "020", "002", "DEDI", "JL. BARU", "6", "8", ""],
]


def delivery_folder(root: Path, label: str, households: Sequence[Sequence[str]]) -> Path:
    """A delivery folder `root/label` with a households file of these rows and individuals."""
    folder = root / label
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "bdt_rt_1272.csv").write_bytes(csv_bytes(HOUSEHOLD_HEADERS, households))
    (folder / "bdt_art_1272.csv").write_bytes(csv_bytes(INDIVIDUAL_HEADERS, INDIVIDUAL_ROWS))
    return folder


def file_facts(folder: Path) -> set[tuple[str, str, int, str]]:
    """(table, file, data rows, sha256) of a delivery folder, computed from the files."""
    tables = {"bdt_rt_1272.csv": "bdt_households", "bdt_art_1272.csv": "bdt_individuals"}
    facts = set()
    for name, table in tables.items():
        data = (folder / name).read_bytes()
        rows = len(record_lines(data, ","))
        facts.add((table, name, rows, hashlib.sha256(data).hexdigest()))
    return facts


def loaded_facts(out: Path, delivery: str) -> set[tuple[str, str, int, str]]:
    rows = fetch(
        out,
        'select "table", file, rows, sha256 from _load_files '
        f"where delivery = '{delivery}' and skipped_reason is null",
    )
    return {(t, f, int(r), s) for t, f, r, s in rows}


def delivery_rows(out: Path, delivery: str, table: str = "bdt_households") -> list[tuple]:
    names = [c for c in columns_of(out, table) if c not in LINEAGE_COLUMNS]
    select = ", ".join(f'"{n}"' for n in names)
    return sorted(fetch(out, f"select {select} from {table} where _delivery = '{delivery}'"))


def test_delivery_folders_load_as_deliveries_in_date_order(tmp_path: Path) -> None:
    root = tmp_path / "deliveries"
    first = delivery_folder(root, "2015-07", HOUSEHOLD_ROWS)
    later = [*HOUSEHOLD_ROWS[1:], *MORE_HOUSEHOLDS]  # one household left, two joined
    second = delivery_folder(root, "2016-01-15", later)
    (root / "notes").mkdir()  # not a delivery: warned about
    out = tmp_path / "raw.duckdb"
    warnings = load(root, out)
    assert any("notes: not a delivery folder" in w for w in warnings)
    assert fetch(out, "select delivery, as_of_date from _deliveries order by as_of_date") == [
        ("2015-07", dt.date(2015, 7, 1)),
        ("2016-01-15", dt.date(2016, 1, 15)),
    ]
    assert loaded_facts(out, "2015-07") == file_facts(first)
    assert loaded_facts(out, "2016-01-15") == file_facts(second)
    assert delivery_rows(out, "2015-07") == sorted(expected_households(HOUSEHOLD_ROWS))
    assert delivery_rows(out, "2016-01-15") == sorted(expected_households(later))
    counts = fetch(out, "select _delivery, count(*) from bdt_individuals group by 1 order by 1")
    assert counts == [("2015-07", len(INDIVIDUAL_ROWS)), ("2016-01-15", len(INDIVIDUAL_ROWS))]


def test_reloading_a_delivery_replaces_only_that_delivery(tmp_path: Path) -> None:
    root = tmp_path / "deliveries"
    first = delivery_folder(root, "2015-07", HOUSEHOLD_ROWS)
    second = delivery_folder(root, "2016-01", [*HOUSEHOLD_ROWS, *MORE_HOUSEHOLDS])
    out = tmp_path / "raw.duckdb"
    load(root, out)
    kept_rows = delivery_rows(out, "2016-01")
    kept_loaded_at = fetch(out, "select loaded_at from _deliveries where delivery = '2016-01'")
    # the July delivery corrected: one household fewer; loaded again, alone
    (first / "bdt_rt_1272.csv").write_bytes(csv_bytes(HOUSEHOLD_HEADERS, HOUSEHOLD_ROWS[:3]))
    load(first, out, delivery="2015-07")
    load(first, out, delivery="2015-07")  # twice: the same
    assert delivery_rows(out, "2015-07") == sorted(expected_households(HOUSEHOLD_ROWS[:3]))
    assert loaded_facts(out, "2015-07") == file_facts(first)
    assert delivery_rows(out, "2016-01") == kept_rows
    assert loaded_facts(out, "2016-01") == file_facts(second)
    assert fetch(out, "select loaded_at from _deliveries where delivery = '2016-01'") == (
        kept_loaded_at
    )
    assert fetch(out, "select count(*) from _deliveries") == [(2,)]
    assert fetch(out, "select count(*) from bdt_households") == [(3 + 6,)]


def test_a_delivery_loaded_again_from_the_same_files_is_kept_as_it_was(tmp_path: Path) -> None:
    """The same files (names and SHA-256) again: nothing rewritten, its load time kept (the
    history's builds rest on it); a changed file: that delivery loaded again."""
    root = tmp_path / "deliveries"
    first = delivery_folder(root, "2015-07", HOUSEHOLD_ROWS)
    delivery_folder(root, "2016-01", [*HOUSEHOLD_ROWS, *MORE_HOUSEHOLDS])
    out = tmp_path / "raw.duckdb"
    load(root, out)
    loaded_at = "select delivery, loaded_at from _deliveries order by delivery"
    before = fetch(out, loaded_at)
    load(root, out)
    assert fetch(out, loaded_at) == before
    assert fetch(out, "select count(*) from _load_files where delivery is not null") == [(4,)]
    (first / "bdt_rt_1272.csv").write_bytes(csv_bytes(HOUSEHOLD_HEADERS, HOUSEHOLD_ROWS[:3]))
    load(root, out)
    after = dict(fetch(out, loaded_at))
    assert after["2015-07"] > dict(before)["2015-07"]
    assert after["2016-01"] == dict(before)["2016-01"]


def test_older_delivery_after_a_newer_one(tmp_path: Path) -> None:
    root = tmp_path / "deliveries"
    newer = delivery_folder(root, "2016-01", [*HOUSEHOLD_ROWS, *MORE_HOUSEHOLDS])
    older = delivery_folder(root, "2015-07", HOUSEHOLD_ROWS)
    out = tmp_path / "raw.duckdb"
    load(newer, out, delivery="2016-01")
    load(older, out, delivery="2015-07")
    assert fetch(out, "select delivery from _deliveries order by as_of_date") == [
        ("2015-07",),
        ("2016-01",),
    ]
    assert delivery_rows(out, "2015-07") == sorted(expected_households(HOUSEHOLD_ROWS))
    assert len(delivery_rows(out, "2016-01")) == len(HOUSEHOLD_ROWS) + len(MORE_HOUSEHOLDS)


def test_a_file_identical_to_one_of_another_delivery_is_loaded(tmp_path: Path) -> None:
    root = tmp_path / "deliveries"
    for label in ("2015-07", "2016-01"):
        delivery_folder(root, label, HOUSEHOLD_ROWS)
    out = tmp_path / "raw.duckdb"
    warnings = load(root, out)
    assert not any("byte-identical" in w for w in warnings)
    assert fetch(out, "select count(*) from _load_files where skipped_reason is not null") == [(0,)]
    assert delivery_rows(out, "2015-07") == delivery_rows(out, "2016-01")


@pytest.mark.parametrize(
    ("label", "problem"),
    [
        ("2015-13", "no such month"),
        ("2015-02-30", "no such date"),
        ("2015-7", "is not YYYY-MM"),
        ("july", "is not YYYY-MM"),
    ],
)
def test_bad_delivery_labels_are_refused(tmp_path: Path, label: str, problem: str) -> None:
    raw_dir = raw_dir_with(tmp_path, {"bdt_rt.csv": csv_bytes(HOUSEHOLD_HEADERS, HOUSEHOLD_ROWS)})
    out = tmp_path / "raw.duckdb"
    message = load_error(raw_dir, out, delivery=label)
    assert message.startswith(f"{raw_dir}: delivery label {label!r}") and problem in message
    assert not out.exists()


def test_a_delivery_folder_with_a_bad_name_is_named(tmp_path: Path) -> None:
    root = tmp_path / "deliveries"
    delivery_folder(root, "2015-07", HOUSEHOLD_ROWS)
    delivery_folder(root, "2016-13", HOUSEHOLD_ROWS)
    message = load_error(root, tmp_path / "raw.duckdb")
    assert message.startswith(f"{root / '2016-13'}: delivery label '2016-13'")
    assert "no such month" in message


def test_files_beside_delivery_folders_are_an_error(tmp_path: Path) -> None:
    root = tmp_path / "deliveries"
    delivery_folder(root, "2015-07", HOUSEHOLD_ROWS)
    (root / "bdt_rt_1272.csv").write_bytes(csv_bytes(HOUSEHOLD_HEADERS, HOUSEHOLD_ROWS))
    (root / "manifest.json").write_text("{}")  # the generator's: not a raw file
    message = load_error(root, tmp_path / "raw.duckdb")
    assert "holds both delivery folders (2015-07) and raw files (bdt_rt_1272.csv)" in message
    message = load_error(root, tmp_path / "raw.duckdb", delivery="2015-07")
    assert "holds delivery folders (2015-07)" in message


def test_two_labels_of_the_same_date_are_refused(tmp_path: Path) -> None:
    raw_dir = raw_dir_with(tmp_path, {"bdt_rt.csv": csv_bytes(HOUSEHOLD_HEADERS, HOUSEHOLD_ROWS)})
    out = tmp_path / "raw.duckdb"
    load(raw_dir, out, delivery="2015-07")
    before = out.read_bytes()
    message = load_error(raw_dir, out, delivery="2015-07-01")
    assert "deliveries 2015-07 and 2015-07-01 have the same as-of date 2015-07-01" in message
    assert out.read_bytes() == before


def test_a_failed_delivery_leaves_the_other_deliveries_as_they_were(tmp_path: Path) -> None:
    root = tmp_path / "deliveries"
    delivery_folder(root, "2015-07", HOUSEHOLD_ROWS)
    second = delivery_folder(root, "2016-01", HOUSEHOLD_ROWS)
    out = tmp_path / "raw.duckdb"
    load(root / "2015-07", out, delivery="2015-07")
    before = out.read_bytes()
    (second / "bdt_rt_1272.csv").write_bytes(
        csv_bytes(HOUSEHOLD_HEADERS, HOUSEHOLD_ROWS) + b"1,2,3\n"
    )
    assert "3 fields where the header has 10" in load_error(root, out)
    assert out.read_bytes() == before


def test_default_delivery_is_the_date_of_the_data(tmp_path: Path) -> None:
    raw_dir = raw_dir_with(tmp_path, {"bdt_rt.csv": csv_bytes(HOUSEHOLD_HEADERS, HOUSEHOLD_ROWS)})
    out = tmp_path / "raw.duckdb"
    load(raw_dir, out)
    project = (PROJECT_DIR / "dbt_project.yml").read_text(encoding="utf-8")
    (stated,) = re.findall(r'reference_date: "(\d{4}-\d{2}-\d{2})"', project)
    date = dt.date.fromisoformat(stated)
    label = date.strftime("%Y-%m") if date.day == 1 else stated
    assert fetch(out, "select delivery, as_of_date from _deliveries") == [(label, date)]
    (raw_dir / "manifest.json").write_text('{"reference_date": "2016-03-17"}')
    load(raw_dir, out)
    assert fetch(out, "select delivery, as_of_date from _deliveries order by 2") == [
        (label, date),
        ("2016-03-17", dt.date(2016, 3, 17)),
    ]


def test_cli_names_the_delivery_and_its_date(tmp_path: Path) -> None:
    raw_dir = raw_dir_with(tmp_path, {"bdt_rt.csv": csv_bytes(HOUSEHOLD_HEADERS, HOUSEHOLD_ROWS)})
    out = tmp_path / "raw.duckdb"
    done = run_cli("--raw-dir", str(raw_dir), "--out", str(out), "--no-progress")
    assert done.returncode == 0, done.stderr
    assert "delivery 2015-07 (as of 2015-07-01; no --delivery: var reference_date" in done.stdout
    done = run_cli("--raw-dir", str(raw_dir), "--out", str(out), "--delivery", "2016-1")
    assert done.returncode == 2
    assert f"error: {raw_dir}: delivery label '2016-1' is not YYYY-MM" in done.stderr


def test_parquet_in_place_deliveries_and_mixing_is_refused(tmp_path: Path) -> None:
    root = tmp_path / "deliveries"
    for label, rows in (("2015-07", HOUSEHOLD_ROWS), ("2016-01", HOUSEHOLD_ROWS[:2])):
        folder = root / label
        folder.mkdir(parents=True)
        write_parquet(folder / "bdt_rt_1272.parquet", HOUSEHOLD_HEADERS, rows)
        (folder / "bdt_art_1272.csv").write_bytes(csv_bytes(INDIVIDUAL_HEADERS, INDIVIDUAL_ROWS))
    copied, in_place = tmp_path / "copied.duckdb", tmp_path / "in_place.duckdb"
    load(root, copied)
    load(root, in_place, parquet_in_place=True)
    load(root / "2016-01", in_place, parquet_in_place=True, delivery="2016-01")  # again
    for table in ("bdt_households", "bdt_individuals", "_load_files"):
        assert table_digest(in_place, table) == table_digest(copied, table), table
    message = load_error(root / "2016-01", in_place, delivery="2016-01")
    assert "deliveries 2015-07 are read in place" in message
