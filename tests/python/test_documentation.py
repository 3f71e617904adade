"""Every model and every column is documented in the YAML files, and nothing else is."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from scripts.check_doc_blocks import models_yaml_files, repeated_descriptions
from scripts.contract import PROJECT_DIR
from scripts.dbt_environment import dbt_command, dbt_environment
from tests.python.warehouse import TEST_SECRET, Warehouse, mart_descriptions


def documented_models() -> dict[str, dict]:
    """model name -> its YAML entry, from every properties file under models/."""
    models: dict[str, dict] = {}
    for path in sorted((PROJECT_DIR / "models").rglob("_*.yml")):
        for entry in yaml.safe_load(path.read_text(encoding="utf-8")).get("models") or []:
            assert entry["name"] not in models, f"{entry['name']} documented twice"
            models[entry["name"]] = entry
    return models


def model_files() -> set[str]:
    return {path.stem for path in (PROJECT_DIR / "models").rglob("*.sql")}


def test_every_model_file_is_documented_and_every_entry_has_a_file() -> None:
    documented = documented_models()
    assert set(documented) == model_files()
    for name, entry in documented.items():
        assert entry.get("description", "").strip(), f"{name} has no description"


def test_every_built_column_is_documented(sample_warehouse: Warehouse) -> None:
    with sample_warehouse.connect(restricted=True) as connection:
        built: dict[str, list[str]] = {}
        for table, column in connection.execute(
            "select table_name, column_name from duckdb_columns()"
            " where database_name in ('bdt', 'pii') order by column_index"
        ).fetchall():
            built.setdefault(table, []).append(column)
    for name, entry in documented_models().items():
        assert name in built, f"{name} was not built"
        columns = {column["name"]: column for column in entry.get("columns") or []}
        assert set(columns) == set(built[name]), (
            f"{name}: undocumented {sorted(set(built[name]) - set(columns))}, "
            f"documented but absent {sorted(set(columns) - set(built[name]))}"
        )
        for column_name, column in columns.items():
            assert column.get("description", "").strip(), f"{name}.{column_name} has no description"


def test_sources_document_every_loaded_column(sample_warehouse: Warehouse) -> None:
    """Each raw table's columns are declared in its source YAML; a typed table (`<raw>__typed`)
    declares its own columns, and holds the raw table's mapped columns under the names their
    meta gives (`staged_as`, `text_as`), described in the raw table's entry."""
    sources: dict[str, set[str]] = {}
    mapped: dict[str, set[str]] = {}
    for path in (PROJECT_DIR / "models" / "staging").rglob("_*__sources.yml"):
        for source in yaml.safe_load(path.read_text(encoding="utf-8"))["sources"]:
            for table in source["tables"]:
                sources[table["identifier"]] = {c["name"] for c in table["columns"]}
                meta = [c.get("config", {}).get("meta", {}) for c in table["columns"]]
                mapped[table["identifier"] + "__typed"] = {
                    name for m in meta for name in (m.get("staged_as"), m.get("text_as")) if name
                }
    for identifier in sources:
        sources[identifier] |= mapped.get(identifier, set())
    with sample_warehouse.connect(restricted=True) as connection:
        for identifier, documented in sources.items():
            columns = {
                column
                for (column,) in connection.execute(
                    "select column_name from duckdb_columns()"
                    " where database_name = 'raw' and table_name = ?",
                    [identifier],
                ).fetchall()
            }
            assert columns == documented, identifier


def test_no_description_is_written_out_twice() -> None:
    """A description used more than once is a doc block (models/docs/), never a copy."""
    repeated = repeated_descriptions(models_yaml_files(PROJECT_DIR / "models"))
    assert not repeated, "\n".join(
        f"{text[:80]}: {', '.join(entry.where for entry in entries)}"
        for text, entries in repeated.items()
    )


def test_the_repetition_check_finds_a_copy(tmp_path: Path) -> None:
    long_text = "Number of cells that had leading or trailing spaces trimmed."
    reference = "'{{ doc(\"trimmed_cells\") }}'"
    for name in ("a", "b"):
        (tmp_path / f"_{name}__models.yml").write_text(
            "version: 2\nmodels:\n"
            f"  - name: model_{name}\n    description: Model {name}.\n    columns:\n"
            f"      - name: trimmed\n        description: >\n          {long_text}\n"
            f"      - name: counted\n        description: {reference}\n"
            "      - name: short\n        description: Province name.\n",
            encoding="utf-8",
        )
    repeated = repeated_descriptions(models_yaml_files(tmp_path))
    assert list(repeated) == [long_text]
    assert [entry.where for entry in repeated[long_text]] == ["model_a.trimmed", "model_b.trimmed"]


def test_every_doc_block_is_defined_once_and_referenced() -> None:
    defined: list[str] = []
    for path in sorted((PROJECT_DIR / "models").rglob("*.md")):
        defined += re.findall(r"{%-?\s*docs\s+(\w+)\s*-?%}", path.read_text(encoding="utf-8"))
    assert len(defined) == len(set(defined)), "a doc block is defined twice"
    referenced: set[str] = set()
    for path in (PROJECT_DIR / "models").rglob("_*.yml"):
        referenced |= set(re.findall(r"doc\(\s*[\"'](\w+)[\"']\s*\)", path.read_text("utf-8")))
    unused, undefined = set(defined) - referenced, referenced - set(defined)
    assert not unused, f"unused doc blocks: {sorted(unused)}"
    assert not undefined, f"undefined doc blocks: {sorted(undefined)}"


def test_readme_mentions_no_missing_path() -> None:
    text = (PROJECT_DIR / "README.md").read_text(encoding="utf-8")
    for path in ("seeds/desil_bands.csv", "macros/cleaning/nik_parts.sql", "seeds/dq_rules.csv"):
        assert path in text and Path(PROJECT_DIR / path).exists(), path


def test_dbt_docs_generate_catalogues_every_documented_model(sample_warehouse: Warehouse) -> None:
    """`dbt docs generate` (make docs) works on a built warehouse, and its catalog holds every
    documented model with the columns that were built."""
    result = subprocess.run(
        dbt_command("docs", "generate", "--target", "dev"),
        cwd=PROJECT_DIR,
        env=dbt_environment(sample_warehouse.folder, TEST_SECRET, sample_warehouse.folder),
        capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-4000:]
    target = sample_warehouse.folder / "target"
    catalog = json.loads((target / "catalog.json").read_text(encoding="utf-8"))
    catalogued = {
        node["metadata"]["name"]: {column.lower() for column in node["columns"]}
        for node in catalog["nodes"].values()
    }
    for name, entry in documented_models().items():
        assert name in catalogued, f"{name} is missing from the docs catalog"
        documented = {column["name"].lower() for column in entry.get("columns") or []}
        assert catalogued[name] == documented, f"{name}: catalog and YAML columns differ"
    assert (target / "index.html").is_file()


def test_every_mart_carries_its_descriptions_as_comments(sample_warehouse: Warehouse) -> None:
    """persist_docs (dbt_project.yml, models: marts): every mart table or view and every column
    of it has, as its database comment, the description of the YAML (doc blocks rendered), so
    that a BI tool reading the published bdt.duckdb shows it."""
    marts = mart_descriptions(sample_warehouse.folder / "target" / "manifest.json")
    assert set(marts) == {path.stem for path in (PROJECT_DIR / "models" / "marts").rglob("*.sql")}
    with sample_warehouse.connect() as connection:
        tables = dict(
            connection.execute(
                "select table_name, comment from duckdb_tables() where database_name = 'bdt'"
                " union all select view_name, comment from duckdb_views()"
                " where database_name = 'bdt'"
            ).fetchall()
        )
        columns = {
            (table, column): comment
            for table, column, comment in connection.execute(
                "select table_name, column_name, comment from duckdb_columns()"
                " where database_name = 'bdt'"
            ).fetchall()
        }
    for name, (description, column_descriptions) in marts.items():
        assert description.strip() and "{{" not in description, name
        assert tables.get(name) == description, f"{name}: comment {tables.get(name)!r}"
        assert column_descriptions, f"{name} declares no column"
        for column, column_description in column_descriptions.items():
            assert column_description.strip() and "{{" not in column_description, (name, column)
            assert columns.get((name, column)) == column_description, (
                f"{name}.{column}: comment {columns.get((name, column))!r}"
            )


PROJECT_FILES = ("dbt_project.yml", "profiles.yml", "models", "macros", "seeds", "tests")


def _parse_with_scratch_model(project: Path, referenced_model: str) -> subprocess.CompletedProcess:
    """`dbt parse` of a copy of the project with one more model, in a folder of no group, that
    selects from `referenced_model`."""
    project.mkdir()
    for name in PROJECT_FILES:
        source = PROJECT_DIR / name
        if source.is_dir():
            shutil.copytree(source, project / name)
        else:
            shutil.copy(source, project / name)
    scratch = project / "models" / "scratch" / "scratch_households.sql"
    scratch.parent.mkdir(exist_ok=True)
    scratch.write_text(f"select count(*) as households from {{{{ ref('{referenced_model}') }}}}\n")
    environment = dbt_environment(project / "warehouse", TEST_SECRET, project)
    return subprocess.run(
        dbt_command("parse", "--target", "lint", "--project-dir", str(project)),
        env={**environment, "DBT_PROFILES_DIR": str(project)},
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.slow  # two `dbt parse` of a copy of the project: about a minute
def test_a_model_outside_the_stewards_group_reads_the_marts_only(tmp_path: Path) -> None:
    """The personal-data boundary (models/_groups.yml): a model outside the group of the data
    stewards may select from a public mart, and dbt refuses its ref to a private model of the
    restricted zone."""
    allowed = _parse_with_scratch_model(tmp_path / "on_marts", "dim_household")
    assert allowed.returncode == 0, allowed.stdout + allowed.stderr
    refused = _parse_with_scratch_model(tmp_path / "on_restricted", "int_households__accepted")
    assert refused.returncode != 0
    assert "private" in refused.stdout + refused.stderr
