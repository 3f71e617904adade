"""Generate raw exports, and build a whole warehouse (load + dbt build) from a raw folder into a
temporary folder."""

from __future__ import annotations

import csv
import hashlib
import hmac
import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import duckdb

from scripts.contract import PROJECT_DIR
from scripts.dbt_environment import dbt_environment

REFERENCE_DIR = PROJECT_DIR.parent / "shared" / "reference"
# What the loader's typing reads as "no value" (scripts/load/typed.py), upper case.
PLACEHOLDERS = {"", "NULL", "NA", "N/A", "-"}
TEST_SECRET = "test-secret-0123456789abcdef"
# The member columns of the questionnaire's rest (issue #17), written out here (not read from
# the contract).
QUESTIONNAIRE_MEMBER_COLUMNS = (
    "sta_kb",
    "alat_kb",
    "sta_sekolah",
    "lapangan_usahaart",
    "jumlah_pekerja",
    "lokasi_usaha",
    "omset_usaha",
)
# The umask of an everyday shell: files readable by all unless the code says otherwise. Every
# warehouse of the tests is generated, loaded and built under it, so that the files meant to be
# owner-only are checked to be so whatever the umask (test_operations).
EVERYDAY_UMASK = 0o022


@dataclass(frozen=True)
class Warehouse:
    raw_dir: Path
    folder: Path
    secret: str
    build_log: str

    @property
    def bi_database(self) -> Path:
        return self.folder / "bdt.duckdb"

    def connect(self, *, restricted: bool = False) -> duckdb.DuckDBPyConnection:
        """Read-only connection to the BI database; with `restricted`, the restricted zone
        (raw and pii) attached as well."""
        connection = duckdb.connect(str(self.bi_database), read_only=True)
        if restricted:
            connection.execute(f"attach '{self.folder / 'raw.duckdb'}' as raw (read_only)")
            connection.execute(f"attach '{self.folder / 'pii.duckdb'}' as pii (read_only)")
        return connection


def with_everyday_umask() -> None:
    """For `preexec_fn`: the child process runs under EVERYDAY_UMASK."""
    os.umask(EVERYDAY_UMASK)


@contextmanager
def everyday_umask() -> Iterator[None]:
    """Within the block, this process runs under EVERYDAY_UMASK; the previous umask after it."""
    previous = os.umask(EVERYDAY_UMASK)
    try:
        yield
    finally:
        os.umask(previous)


def run_generator(out: Path, *args: str) -> Path:
    """Run `python -m scripts.generate` in-process into `out` (under EVERYDAY_UMASK); returns
    `out`."""
    from scripts.generate.__main__ import main

    with everyday_umask():
        code = main(["--out", str(out), "--no-progress", *args])
    assert code == 0, f"generator failed with {args}"
    return out


def load_command(raw_dir: Path, out: Path, *options: str) -> list[str]:
    """The loader's command line for `raw_dir` (with the national reference lists) into `out`."""
    return [
        sys.executable, "-m", "scripts.load", "--raw-dir", str(raw_dir),
        "--reference-dir", str(REFERENCE_DIR), "--out", str(out), "--no-progress", *options,
    ]  # fmt: skip


def build_command(*options: str) -> list[str]:
    """The command that builds and publishes the warehouse (make build)."""
    return [sys.executable, "-m", "scripts.build", *options]


def passed_build(
    env: dict[str, str],
    *options: str,
    timeout: int = 1200,
    preexec_fn: Callable[[], None] | None = None,
) -> subprocess.CompletedProcess[str]:
    """Run the build (`python -m scripts.build` with `options`) in the project folder under
    `env`; assert that it passed, with the end of its output if not."""
    build = subprocess.run(
        build_command(*options),
        cwd=PROJECT_DIR, env=env, capture_output=True, text=True, timeout=timeout,
        preexec_fn=preexec_fn,
    )  # fmt: skip
    assert build.returncode == 0, (
        f"build {' '.join(options)} failed:\n{build.stdout[-6000:]}{build.stderr[-3000:]}"
    )
    return build


def built_warehouse(raw_dir: Path, folder: Path, *build_options: str) -> Warehouse:
    """Load `raw_dir` (with the national reference lists), build and publish it in `folder`
    (`python -m scripts.build`: dbt build, then publication when everything passed), each
    under EVERYDAY_UMASK."""
    folder.mkdir(parents=True, exist_ok=True)
    env = dbt_environment(folder, TEST_SECRET, folder)
    subprocess.run(
        load_command(raw_dir, folder / "raw.duckdb"),
        cwd=PROJECT_DIR, env=env, check=True, capture_output=True, text=True, timeout=600,
        preexec_fn=with_everyday_umask,
    )  # fmt: skip
    build = passed_build(env, *build_options, preexec_fn=with_everyday_umask)
    return Warehouse(raw_dir=raw_dir, folder=folder, secret=TEST_SECRET, build_log=build.stdout)


def pseudonym(secret: str, domain: str, value: str) -> str:
    """The pseudonymous key (hex of the UUID) of a value, computed here with Python's hmac: the
    HMAC-SHA256 of '<domain>:<value>' under the secret, first 128 bits (macro pseudonym)."""
    digest = hmac.new(secret.encode(), f"{domain}:{value}".encode(), hashlib.sha256)
    return digest.hexdigest()[:32]


def normalised_name(value: str) -> str:
    return " ".join(value.split()).upper()


def public_region_names() -> set[str]:
    """Every region name of the public reference lists, upper case: a person may be named like
    a desa ("SRI TANJUNG"), and such a name in a region column is not personal data."""
    names: set[str] = set()
    for path in (REFERENCE_DIR / "bps_mfd_2018").glob("*.csv"):
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                names.update(normalised_name(value) for key, value in row.items() if "nama" in key)
    return names


def raw_rows(raw_dir: Path, prefix: str) -> list[dict[str, str]]:
    """Every row of the raw CSV files whose name starts with prefix, headers lower-cased."""
    rows: list[dict[str, str]] = []
    for path in sorted(raw_dir.glob(f"{prefix}*.csv")):
        with path.open(encoding="utf-8-sig", newline="") as handle:
            for row in csv.DictReader(handle):
                rows.append({key.lower(): value for key, value in row.items()})
    return rows


def raw_person_names(raw_dir: Path) -> set[str]:
    """The names of the people in the raw files (members, household heads, PKH recipients),
    normalised (normalised_name), without placeholders and without public region names."""
    name_columns = (("bdt_art", "nama"), ("bdt_rt", "nama_krt"), ("pkh", "nama_penerima"))
    names = {
        normalised_name(row[column])
        for prefix, column in name_columns
        for row in raw_rows(raw_dir, prefix)
        if row.get(column) is not None
    }
    return names - PLACEHOLDERS - public_region_names()


def mart_descriptions(manifest_path: Path) -> dict[str, tuple[str, dict[str, str]]]:
    """Every mart (models/marts/**) of a dbt manifest: name -> (its description, column name ->
    description), doc blocks rendered as dbt renders them."""
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    return {
        node["name"]: (
            node["description"],
            {name: column["description"] for name, column in node["columns"].items()},
        )
        for node in manifest["nodes"].values()
        if node["resource_type"] == "model"
        and node["original_file_path"].startswith("models/marts/")
    }


def mart_foreign_keys(manifest_path: Path) -> dict[tuple[str, str], tuple[str, str]]:
    """The foreign keys declared in the marts' contracts of a dbt manifest: (table, column) ->
    (referenced table, referenced column)."""
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    return {
        (node["name"], column["name"]): (
            constraint["to"].split(".")[-1].strip('"'),
            constraint["to_columns"][0],
        )
        for node in manifest["nodes"].values()
        if node["resource_type"] == "model"
        and node["original_file_path"].startswith("models/marts/")
        for column in node["columns"].values()
        for constraint in column["constraints"]
        if constraint["type"] == "foreign_key"
    }
