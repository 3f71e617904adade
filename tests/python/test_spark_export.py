"""The Spark target's raw layer (scripts/load/spark.py): raw.duckdb's tables as Parquet, the
registry's tables partitioned by delivery and province. Read back with DuckDB (no Spark needed):
every raw row is there once with its lineage, and each row lies in the folders named after its
own delivery and raw province code (computed here in Python from raw.duckdb's values, with the
paths parsed here, not by DuckDB's Hive reader)."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import duckdb
import pytest

from scripts.load import load_raw_dir
from scripts.load.spark import exported_to_parquet

DELIVERIES = ("2016-07", "2017-07")
# Raw KDPROP values written over some household rows: each with the partition it must land in.
DIRTY_PROVINCES = {" 12 ": "12", "7": "07", "NULL": "unknown", "": "unknown", "1a": "unknown"}
REGISTRY = ("bdt_households", "bdt_individuals", "fkp_sls_results", "pkh_payments")
# The registry's raw tables and their typed tables (scripts/load/typed.py).
PARTITIONED = (*REGISTRY, *(f"{table}__typed" for table in REGISTRY))
# The column a table's province partition is read from: the raw KDPROP, or the typed code.
PROVINCE_OF = {
    **dict.fromkeys(REGISTRY, "kdprop"),
    **{f"{t}__typed": "province_code" for t in REGISTRY},
}
FOLDER = re.compile(r"/_delivery=([^/]+)/_province=([^/]+)/[^/]+\.parquet$")
EDGE_WHITESPACE = "[\t\n\f\r ]*"


def expected_province(kdprop: str | None) -> str:
    """The partition of a raw KDPROP (or typed province code): one or two digits (edge
    whitespace aside), as two."""
    match = re.fullmatch(f"{EDGE_WHITESPACE}([0-9]{{1,2}}){EDGE_WHITESPACE}", kdprop or "")
    return match.group(1).zfill(2) if match else "unknown"


@pytest.fixture(scope="module")
def raw_database(generated_small: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small generated set loaded twice (two deliveries), some KDPROPs made dirty."""
    out = tmp_path_factory.mktemp("spark_export") / "raw.duckdb"
    for delivery in DELIVERIES:
        load_raw_dir(generated_small, out, progress=False, delivery=delivery, warn=lambda _: None)
    with duckdb.connect(str(out)) as connection:
        for position, value in enumerate(DIRTY_PROVINCES):
            connection.execute(
                "update raw.raw.bdt_households set kdprop = ? where _source_line = ?",
                [value, position + 2],
            )
    return out


def raw_rows(raw_database: Path, table: str) -> tuple[list[str], list[tuple]]:
    with duckdb.connect(str(raw_database), read_only=True) as connection:
        relation = connection.sql(f'select * from raw.raw."{table}"')
        return relation.columns, relation.fetchall()


def parquet_rows(folder: Path, columns: list[str]) -> list[tuple]:
    """The rows of every Parquet file under `folder`, the columns named (partition columns
    taken from the paths by DuckDB's Hive reader)."""
    selected = ", ".join(f'"{column}"' for column in columns)
    with duckdb.connect() as connection:
        return connection.sql(
            f"select {selected} from read_parquet('{folder}/**/*.parquet',"
            " hive_partitioning = true, union_by_name = true)"
        ).fetchall()


def rows_by_folder(folder: Path) -> list[tuple[str, str, str, int]]:
    """(delivery folder, province folder, _source_file, _source_line) of every row, the
    folders parsed from each file's path."""
    with duckdb.connect() as connection:
        rows = connection.sql(
            f"select filename, _source_file, _source_line from read_parquet("
            f"'{folder}/**/*.parquet', filename = true, hive_partitioning = false)"
        ).fetchall()
    return [(*FOLDER.search(path).groups(), file, line) for path, file, line in rows]


def test_every_raw_row_is_exported_once_with_its_lineage(
    raw_database: Path, tmp_path: Path
) -> None:
    exported = exported_to_parquet(raw_database, tmp_path / "raw", layout="province")
    for table, rows_written in exported.items():
        columns, rows = raw_rows(raw_database, table)
        assert rows_written == len(rows)
        assert Counter(parquet_rows(tmp_path / "raw" / table, columns)) == Counter(rows), table
        assert {"_source_file", "_source_line"} <= set(columns) or table.startswith("_"), table
    assert set(PARTITIONED) <= set(exported)


def test_each_row_lies_in_the_folders_of_its_delivery_and_raw_province(
    raw_database: Path, tmp_path: Path
) -> None:
    exported_to_parquet(raw_database, tmp_path / "raw", layout="province")
    for table in PARTITIONED:
        columns, rows = raw_rows(raw_database, table)
        column = {name: index for index, name in enumerate(columns)}
        expected = Counter(
            (
                row[column["_delivery"]],
                expected_province(row[column[PROVINCE_OF[table]]]),
                row[column["_source_file"]],
                row[column["_source_line"]],
            )
            for row in rows
        )
        assert Counter(rows_by_folder(tmp_path / "raw" / table)) == expected, table
    provinces = {
        province for _, province, _, _ in rows_by_folder(tmp_path / "raw" / PARTITIONED[0])
    }
    assert {"07", "unknown"} <= provinces  # the dirty codes made partitions of their own


def test_the_single_layout_writes_one_file_per_table(raw_database: Path, tmp_path: Path) -> None:
    exported = exported_to_parquet(raw_database, tmp_path / "raw", layout="single")
    for table in exported:
        files = list((tmp_path / "raw" / table).rglob("*.parquet"))
        assert [file.relative_to(tmp_path / "raw" / table) for file in files] == [
            Path("part-00000.parquet")
        ]


def test_reference_tables_are_not_partitioned(raw_database: Path, tmp_path: Path) -> None:
    exported = exported_to_parquet(raw_database, tmp_path / "raw", layout="province")
    for table in set(exported) - set(PARTITIONED):
        assert [path.name for path in (tmp_path / "raw" / table).iterdir()] == [
            "part-00000.parquet"
        ], table


def test_the_default_layout_partitions_the_registry_by_delivery_only(
    raw_database: Path, tmp_path: Path
) -> None:
    exported_to_parquet(raw_database, tmp_path / "raw")
    for table in PARTITIONED:
        folders = {path.name for path in (tmp_path / "raw" / table).iterdir()}
        assert folders == {f"_delivery={delivery}" for delivery in DELIVERIES}, table
        assert not list((tmp_path / "raw" / table).rglob("_province=*")), table
