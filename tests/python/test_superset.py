"""The Superset dashboard (make bi): every chart's data, asked through Superset's REST API,
equals the same figures computed here from the marts by another route (household rows read
with duckdb, counted and averaged in Python); SQL Lab cannot write, nor reach the restricted
databases or any other file; a screenshot in headless Chromium shows the dashboard.

Superset runs from .venv-bi (make bi-setup) on a free local port with its metadata in a
temporary folder, the sample warehouse's BI database imported, and is stopped at the end."""

from __future__ import annotations

import json
import re
import secrets
import socket
import statistics
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import duckdb
import pytest
from matplotlib import image

from scripts.bi.api import Superset, SupersetError
from scripts.bi.assets import imported_dashboard
from scripts.bi.credentials import admin
from scripts.bi.screenshot import dashboard_screenshot
from scripts.bi.server import Server, started, stopped
from scripts.bi.settings import ASSETS_DIR, BI_BIN, DASHBOARD_SLUG, DATABASE_NAME
from tests.python.warehouse import Warehouse

pytestmark = pytest.mark.slow  # builds the sample warehouse and starts Superset

# The programs as the dashboard names them, and their receipt flags in dim_household.
PROGRAM_COLUMNS = {
    "PKH": "receives_pkh",
    "KKS": "receives_kks",
    "KIS/PBI": "receives_kis_pbi",
    "KIP": "receives_kip",
    "Rastra/BPNT": "receives_rastra_bpnt",
}
LEAKAGE_TARGET_DESIL = (1, 2)
# The housing deprivations of the household profile, dim_household's flags (null: unknown).
DEPRIVATIONS = ("has_earth_floor", "has_unimproved_water", "is_crowded")
FEMALE = "Female"
# A pixel whose channels differ by more than COLOURED is coloured (not white, grey or black);
# the dashboard's bars, map and cell bars make about 4.5 % of the screenshot.
COLOURED = 0.25
MIN_COLOURED_SHARE = 0.02
Rows = dict[tuple[Any, ...], tuple[float, ...]]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def older_assets(folder: Path) -> Path:
    """A copy of the assets as an older version could be: every chart named otherwise, every
    metric of the datasets giving other figures."""
    for path in ASSETS_DIR.rglob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        if path.parent.name == "charts":
            text = re.sub(r"^slice_name: (.*)$", r"slice_name: \1 (old)", text, flags=re.M)
        if path.parent.parent.name == "datasets":
            text = re.sub(r"^(  expression: )(?!null$)", r"\1-1 + ", text, flags=re.M)
        copy = folder / path.relative_to(ASSETS_DIR)
        copy.parent.mkdir(parents=True, exist_ok=True)
        copy.write_text(text, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def superset(
    sample_warehouse: Warehouse, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Server]:
    """Superset on a free port with the dashboard imported on the sample's BI database; a
    random admin password and secret key for this run only."""
    if not (BI_BIN / "gunicorn").is_file():
        pytest.fail("no Superset environment: run `make bi-setup` first")
    home = tmp_path_factory.mktemp("superset_home")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("BDT_BI_ADMIN_USER", "bdt-test-admin")
        patch.setenv("BDT_BI_ADMIN_PASSWORD", secrets.token_urlsafe(16))
        patch.setenv("BDT_BI_SECRET_KEY", secrets.token_urlsafe(32))
        try:
            server = started(home, free_port())
            # `make bi` imports on every start over the same metadata: an older version of
            # the assets first, which the real ones must replace.
            older = older_assets(tmp_path_factory.mktemp("older_assets"))
            imported_dashboard(server, sample_warehouse.bi_database, older)
            imported_dashboard(server, sample_warehouse.bi_database)
            yield server
        finally:
            stopped(home)


@pytest.fixture(scope="module")
def client(superset: Server) -> Superset:
    return Superset(superset.url, superset.admin)


@pytest.fixture(scope="module")
def households(sample_warehouse: Warehouse) -> list[dict[str, Any]]:
    """Every household of dim_household with its kecamatan and province code (dim_region)."""
    with sample_warehouse.connect() as connection:
        cursor = connection.execute(
            "select h.*, r.district_name, r.province_iso_code from marts.dim_household h"
            " join marts.dim_region r using (village_code)"
        )
        names = [column[0] for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


@pytest.fixture(scope="module")
def deliveries(sample_warehouse: Warehouse) -> list[dict[str, Any]]:
    """Every household and delivery of the history, with its desil's label (desil_bands)."""
    with sample_warehouse.connect() as connection:
        labels = dict(
            connection.execute("select desil, label_en from reference.desil_bands").fetchall()
        )
        rows = connection.execute(
            "select delivery, desil from marts.fct_household_deliveries"
        ).fetchall()
    return [{"delivery": d, "desil_label": labels.get(desil, "Non-desil")} for d, desil in rows]


def percent(part: int, whole: int) -> float | None:
    return 100.0 * part / whole if whole else None


def mean(values: list[Any]) -> float | None:
    known = [float(v) for v in values if v is not None]
    return statistics.fmean(known) if known else None


def grouped(rows: list[dict[str, Any]], *keys: str) -> dict[tuple[Any, ...], list[dict]]:
    groups: dict[tuple[Any, ...], list[dict]] = defaultdict(list)
    for row in rows:
        groups[tuple(row[key] for key in keys)].append(row)
    return groups


def share_of_known(rows: list[dict[str, Any]], column: str) -> float | None:
    """The percentage of rows with `column` true among those where it is known."""
    known = [row[column] for row in rows if row[column] is not None]
    return percent(sum(known), len(known))


def receives_any(row: dict[str, Any]) -> bool:
    return any(row[column] for column in PROGRAM_COLUMNS.values())


def by_region_and_desil(households: list[dict], _: list[dict]) -> Rows:
    counts = Counter((h["district_name"], h["desil_label_en"]) for h in households)
    return {key: (count,) for key, count in counts.items()}


def receipt_by_desil(households: list[dict], _: list[dict]) -> Rows:
    return {
        (desil, program): (percent(sum(bool(h[column]) for h in rows), len(rows)),)
        for (desil,), rows in grouped(households, "desil_label_en").items()
        for program, column in PROGRAM_COLUMNS.items()
    }


def coverage_and_leakage(households: list[dict], _: list[dict]) -> Rows:
    desil_1 = [h for h in households if h["desil"] == 1]
    expected: Rows = {}
    for program, column in PROGRAM_COLUMNS.items():
        recipients = [h for h in households if h["household_source"] == "BDT" and h[column]]
        outside = [h for h in recipients if h["desil"] not in LEAKAGE_TARGET_DESIL]
        expected[(program,)] = (
            percent(sum(bool(h[column]) for h in desil_1), len(desil_1)),
            percent(len(outside), len(recipients)),
        )
    return expected


def desil_1_share_by_province(households: list[dict], _: list[dict]) -> Rows:
    return {
        key: (percent(sum(h["desil"] == 1 for h in rows), len(rows)),)
        for key, rows in grouped(households, "province_iso_code").items()
    }


def profile_by_desil(households: list[dict], _: list[dict]) -> Rows:
    return {
        key: (
            len(rows),
            mean([h["member_count"] for h in rows]),
            percent(
                sum(h["head_sex_label_en"] == FEMALE for h in rows),
                sum(h["head_sex_label_en"] is not None for h in rows),
            ),
            mean([h["floor_area_per_member_m2"] for h in rows]),
            *(share_of_known(rows, column) for column in DEPRIVATIONS),
            percent(sum(receives_any(h) for h in rows), len(rows)),
        )
        for key, rows in grouped(households, "desil_label_en").items()
    }


def trend_by_delivery(_: list[dict], deliveries: list[dict]) -> Rows:
    counts = Counter((d["delivery"], d["desil_label"]) for d in deliveries)
    return {key: (count,) for key, count in counts.items()}


Expectation = Callable[[list[dict], list[dict]], Rows]
# Each chart of the dashboard: the columns that key its rows, the metrics, and the figures.
CHARTS: dict[str, tuple[tuple[str, ...], tuple[str, ...], Expectation]] = {
    "Households by desil per kecamatan": (
        ("district_name", "desil_label"), ("count",), by_region_and_desil
    ),
    "Households receiving each program by desil (%)": (
        ("desil_label", "program"), ("receipt_pct",), receipt_by_desil
    ),
    "Coverage of desil 1 and leakage inside the BDT (%)": (
        ("program",), ("coverage_desil_1_pct", "leakage_bdt_pct"), coverage_and_leakage
    ),
    "Desil-1 share of households by province (%)": (
        ("province_iso_code",), ("desil_1_share_pct",), desil_1_share_by_province
    ),
    "Household profile by desil": (
        ("desil_label",),
        (
            "count", "mean_member_count", "female_head_pct", "mean_floor_area_per_member_m2",
            "earth_floor_pct", "unimproved_water_pct", "crowded_pct", "any_program_pct",
        ),
        profile_by_desil,
    ),
    "Households by desil over the deliveries": (
        ("delivery", "desil_label"), ("count",), trend_by_delivery
    ),
}  # fmt: skip


def dashboard_charts(client: Superset) -> dict[str, int]:
    """The dashboard's charts: name -> id."""
    charts = client.get(f"/api/v1/dashboard/{DASHBOARD_SLUG}/charts")["result"]
    return {chart["slice_name"]: chart["id"] for chart in charts}


def chart_rows(client: Superset, chart_id: int, keys: tuple[str, ...], metrics: tuple[str, ...]):
    """The rows of the chart's saved query, through the chart data API."""
    answer = client.get(f"/api/v1/chart/{chart_id}/data/?format=json&type=full")
    (result,) = answer["result"]
    assert result.get("error") is None, result
    data = result["data"]
    rows = {tuple(row[k] for k in keys): tuple(row[m] for m in metrics) for row in data}
    assert len(rows) == len(data), "a chart row is repeated"
    return rows


def test_the_dashboard_holds_every_chart(client: Superset) -> None:
    assert set(dashboard_charts(client)) == set(CHARTS)


def test_the_layout_shows_each_chart_once_under_its_name(client: Superset) -> None:
    dashboard = client.get(f"/api/v1/dashboard/{DASHBOARD_SLUG}")["result"]
    cells = [
        (node["meta"]["chartId"], node["meta"]["sliceName"])
        for node in json.loads(dashboard["position_json"]).values()
        if isinstance(node, dict) and node.get("type") == "CHART"
    ]
    charts = dashboard_charts(client)
    assert sorted(cells) == sorted((chart_id, name) for name, chart_id in charts.items())
    metadata = json.loads(dashboard["json_metadata"])
    scopes = {f["name"]: f["scope"] for f in metadata["native_filter_configuration"]}
    assert scopes["Kecamatan"]["excluded"] == []
    # The desil filter leaves the targeting table alone: its measures span the desils.
    targeting = charts["Coverage of desil 1 and leakage inside the BDT (%)"]
    assert scopes["Desil"]["excluded"] == [targeting]


@pytest.mark.parametrize("name", list(CHARTS))
def test_chart_data_equals_the_marts(
    client: Superset, households: list[dict], deliveries: list[dict], name: str
) -> None:
    keys, metrics, expectation = CHARTS[name]
    got = chart_rows(client, dashboard_charts(client)[name], keys, metrics)
    expected = expectation(households, deliveries)
    assert set(got) == set(expected)
    for key, values in expected.items():
        assert got[key] == pytest.approx(values, rel=1e-9, abs=1e-9), key


def test_the_bi_database_is_registered_read_only(
    client: Superset, sample_warehouse: Warehouse
) -> None:
    (database,) = client.get("/api/v1/database/")["result"]
    assert database["database_name"] == DATABASE_NAME
    assert not database["allow_dml"]
    assert not database["allow_file_upload"]
    details = client.get(f"/api/v1/database/{database['id']}/connection")["result"]
    assert details["sqlalchemy_uri"] == f"duckdb:///{sample_warehouse.bi_database.resolve()}"
    extra = details["extra"]
    assert '"read_only": true' in extra
    assert '"enable_external_access": false' in extra


def sql_lab(client: Superset, sql: str, database_id: int | None = None) -> dict[str, Any]:
    """The answer of SQL Lab to `sql` on the BI database (or the database `database_id`);
    a refusal as {"status": "refused", "body": ...}."""
    if database_id is None:
        (database,) = client.get("/api/v1/database/")["result"]
        database_id = database["id"]
    payload = {
        "database_id": database_id,
        "sql": sql,
        "schema": "marts",
        "runAsync": False,
        "client_id": secrets.token_hex(5),
        "tab": "test",
        "select_as_cta": False,
        "queryLimit": 1000,
    }
    try:
        return client.post("/api/v1/sqllab/execute/", payload)
    except SupersetError as error:
        return {"status": "refused", "http_status": error.status, "body": error.body}


def test_sql_lab_reads_the_marts(client: Superset, households: list[dict]) -> None:
    answer = sql_lab(client, "select count(*) as households from marts.dim_household")
    assert answer["status"] == "success", answer
    assert answer["data"] == [{"households": len(households)}]


@pytest.mark.parametrize(
    "statement",
    [
        "create table marts.written as select 1 as x",
        "insert into marts.dim_delivery (delivery) values ('x')",
        "drop table marts.dim_household",
    ],
)
def test_sql_lab_cannot_write(
    client: Superset, sample_warehouse: Warehouse, statement: str
) -> None:
    answer = sql_lab(client, statement)
    assert answer["status"] == "refused"
    assert "DML_NOT_ALLOWED_ERROR" in answer["body"]
    with sample_warehouse.connect() as connection:
        tables = {
            table
            for (table,) in connection.execute("select table_name from duckdb_tables()").fetchall()
        }
        (deliveries,) = connection.execute(
            "select count(*) from marts.dim_delivery where delivery = 'x'"
        ).fetchone()
    assert "written" not in tables
    assert "dim_household" in tables
    assert deliveries == 0


# DuckDB itself refuses (enable_external_access = false, locked): file access or a setting.
FILES_DISABLED = "file system operations are disabled by configuration"
SETTINGS_LOCKED = "the configuration has been locked"


@pytest.mark.parametrize(
    ("statement", "reason"),
    [
        ("attach '{folder}/pii.duckdb' as pii (read_only)", FILES_DISABLED),
        ("attach '{folder}/raw.duckdb' as raw", FILES_DISABLED),
        ("select count(*) as n from read_text('{folder}/pii.duckdb')", FILES_DISABLED),
        ("select count(*) as n from read_csv('{raw}/*.csv')", FILES_DISABLED),
        ("set enable_external_access = true", SETTINGS_LOCKED),
    ],
)
def test_sql_lab_cannot_reach_other_files(
    client: Superset, sample_warehouse: Warehouse, statement: str, reason: str
) -> None:
    sql = statement.format(folder=sample_warehouse.folder, raw=sample_warehouse.raw_dir)
    answer = sql_lab(client, sql)
    assert answer["status"] == "refused"
    assert reason in answer["body"]
    attached = sql_lab(client, "select database_name from duckdb_databases()")
    assert attached["status"] == "success", attached
    assert {row["database_name"] for row in attached["data"]} == {"bdt", "system", "temp"}


def test_dashboard_screenshot(superset: Server, tmp_path: Path) -> None:
    url = f"{superset.url}/superset/dashboard/{DASHBOARD_SLUG}/"
    png = dashboard_screenshot(superset, url, tmp_path / "dashboard.png")
    pixels = image.imread(png)
    height, width = pixels.shape[:2]
    assert width >= 1200 and height >= 1200
    # Charts drawn: a blank, error or spinner-only page has almost no coloured pixel.
    saturation = pixels[:, :, :3].max(axis=2) - pixels[:, :, :3].min(axis=2)
    assert (saturation > COLOURED).mean() > MIN_COLOURED_SHARE


def test_the_admin_password_is_random_and_owner_only(tmp_path: Path) -> None:
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv("BDT_BI_ADMIN_PASSWORD", raising=False)
        patch.setenv("BDT_BI_ADMIN_USER", "someone")
        first = admin(tmp_path / "secrets")
        again = admin(tmp_path / "secrets")
        other = admin(tmp_path / "other")
    assert first == again
    assert first.user == "someone"
    assert len(first.password) >= 32
    assert other.password != first.password
    (kept,) = (tmp_path / "secrets").iterdir()
    assert kept.read_text().strip() == first.password
    assert kept.stat().st_mode & 0o777 == 0o600


def test_superset_holds_no_connection_to_the_bi_database(
    client: Superset, sample_warehouse: Warehouse
) -> None:
    """A build publishes a new bdt.duckdb: Superset (NullPool) keeps no connection open
    between queries that would block a writer or keep the replaced file."""
    answer = sql_lab(client, "select count(*) as households from marts.dim_household")
    assert answer["status"] == "success", answer
    writer = duckdb.connect(str(sample_warehouse.bi_database))
    writer.close()


@pytest.mark.parametrize("name", ["pii.duckdb", "raw.duckdb", ":memory:"])
def test_no_other_database_can_be_registered(
    client: Superset, sample_warehouse: Warehouse, name: str
) -> None:
    path = name if name.startswith(":") else sample_warehouse.folder / name
    with pytest.raises(SupersetError, match=r"reads the BI database \(bdt.duckdb\) only"):
        client.post(
            "/api/v1/database/",
            {"database_name": f"other {name}", "sqlalchemy_uri": f"duckdb:///{path}"},
        )
    names = {database["database_name"] for database in client.get("/api/v1/database/")["result"]}
    assert names == {DATABASE_NAME}


def test_the_bi_database_stays_read_only_whatever_its_settings(
    client: Superset, sample_warehouse: Warehouse
) -> None:
    """A second registration of bdt.duckdb that asks for writes and no DuckDB restriction:
    superset_config's DB_CONNECTION_MUTATOR still opens it read-only without file access."""
    created = client.post(
        "/api/v1/database/",
        {
            "database_name": "bdt.duckdb unrestricted",
            "sqlalchemy_uri": f"duckdb:///{sample_warehouse.bi_database.resolve()}",
            "allow_dml": True,
            "expose_in_sqllab": True,
            "extra": json.dumps({"engine_params": {"connect_args": {"read_only": False}}}),
        },
    )
    try:
        for sql, reason in (
            ("create table marts.written as select 1 as x", "read-only"),
            (f"attach '{sample_warehouse.folder / 'pii.duckdb'}' as pii", FILES_DISABLED),
        ):
            answer = sql_lab(client, sql, created["id"])
            assert answer["status"] == "refused"
            assert reason in answer["body"]
    finally:
        client.delete(f"/api/v1/database/{created['id']}")
