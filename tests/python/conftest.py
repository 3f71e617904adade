"""Shared fixtures. Generated datasets are session-scoped: each is written once per test run."""

from __future__ import annotations

from pathlib import Path

import pytest

from scripts.contract import PROJECT_DIR
from scripts.publish.pipeline import Publication, publish
from tests.python.warehouse import Warehouse, built_warehouse, run_generator

REFERENCE_DIR = PROJECT_DIR.parent / "shared" / "reference"
NATIONAL_REGIONS = REFERENCE_DIR / "bps_mfd_2018"
# The fixtures below that build a warehouse: a test that uses one (directly or through another
# fixture) is marked `slow`, left out of `make test-fast`. Tests that build or start a server
# themselves carry the mark in their module.
BUILT_WAREHOUSES = ("sample_warehouse", "dirty_warehouse", "publication_warehouse")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if set(BUILT_WAREHOUSES) & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session")
def generated_sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The default Kota Tanjung Balai sample (14,500 households, seed 2017), CSV."""
    return run_generator(tmp_path_factory.mktemp("generated_sample") / "raw")


@pytest.fixture(scope="session")
def generated_small(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """300 households, seed 5, CSV, default dirt."""
    return run_generator(
        tmp_path_factory.mktemp("generated_small") / "raw", "--households", "300", "--seed", "5"
    )


@pytest.fixture(scope="session")
def generated_dirty(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """3,000 households, every defect rate times 10, chunks of 1,000 households."""
    return run_generator(
        tmp_path_factory.mktemp("generated_dirty") / "raw",
        "--households",
        "3000",
        "--seed",
        "99",
        "--dirt-scale",
        "10",
        "--chunk-size",
        "1000",
    )


@pytest.fixture(scope="session")
def generated_national(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """3,000 households over the national BPS village list."""
    if not (NATIONAL_REGIONS / "villages.csv").is_file():
        pytest.skip(f"no national region lists at {NATIONAL_REGIONS}")
    return run_generator(
        tmp_path_factory.mktemp("generated_national") / "raw",
        "--households",
        "3000",
        "--regions",
        str(NATIONAL_REGIONS),
        "--seed",
        "3",
    )


@pytest.fixture(scope="session")
def generated_for_publication(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The publication tests' set: 1,000 households, seed 11, every defect rate times 5 (so
    that the independent computation meets orphans, duplicate NIKs, NULLs, bad codes...)."""
    return run_generator(
        tmp_path_factory.mktemp("generated_for_publication") / "raw",
        "--households",
        "1000",
        "--seed",
        "11",
        "--dirt-scale",
        "5",
    )


@pytest.fixture(scope="session")
def sample_warehouse(generated_sample: Path, tmp_path_factory: pytest.TempPathFactory) -> Warehouse:
    """The sample loaded and built with dbt on DuckDB."""
    return built_warehouse(generated_sample, tmp_path_factory.mktemp("sample_warehouse"))


@pytest.fixture(scope="session")
def dirty_warehouse(generated_dirty: Path, tmp_path_factory: pytest.TempPathFactory) -> Warehouse:
    """The very dirty set loaded and built with dbt on DuckDB, with `--store-failures` (an
    everyday dbt option that keeps every test's failing rows in tables)."""
    return built_warehouse(
        generated_dirty, tmp_path_factory.mktemp("dirty_warehouse"), "--store-failures"
    )


@pytest.fixture(scope="session")
def publication_warehouse(
    generated_for_publication: Path, tmp_path_factory: pytest.TempPathFactory
) -> Warehouse:
    """The publication tests' set built (generated_for_publication)."""
    return built_warehouse(generated_for_publication, tmp_path_factory.mktemp("publication"))


@pytest.fixture(scope="session")
def publication(
    publication_warehouse: Warehouse, tmp_path_factory: pytest.TempPathFactory
) -> Publication:
    """The publication of that warehouse, by kecamatan, with the default settings."""
    out = tmp_path_factory.mktemp("published")
    return publish(publication_warehouse.bi_database, out, level="kecamatan", progress=False)


@pytest.fixture(scope="session")
def out_dir(publication: Publication) -> Path:
    """The folder the publication wrote (tables/, bdt_tables.xlsx, report, charts, ...)."""
    return publication.files[0].parent.parent
