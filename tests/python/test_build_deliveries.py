"""Which deliveries a build processes (scripts/build/deliveries.py), the dbt options it gives
each, and how the delivery benchmark judges a build against the first."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from scripts.bench.deliveries import INCREMENTAL_TARGET, incremental_targets
from scripts.bench.measure import StageResult
from scripts.build.__main__ import DELIVERY_VARIABLE, dbt_environment_for
from scripts.build.deliveries import (
    LoadedDelivery,
    deliveries_to_build,
    record_built_deliveries,
    recorded_deliveries,
)

LOADED_AT = dt.datetime(2026, 12, 1, 8, 0, tzinfo=dt.UTC)


def loaded(label: str, minutes: int = 0) -> LoadedDelivery:
    year, month = (int(part) for part in label.split("-"))
    return LoadedDelivery(dt.date(year, month, 1), label, LOADED_AT + dt.timedelta(minutes=minutes))


def test_a_new_history_builds_every_delivery_oldest_first() -> None:
    deliveries = [loaded("2016-07"), loaded("2015-07"), loaded("2017-07")]
    chosen = deliveries_to_build(deliveries, {})
    assert [d.delivery for d in chosen] == ["2015-07", "2016-07", "2017-07"]


def test_an_up_to_date_history_builds_nothing_before_the_latest() -> None:
    deliveries = [loaded("2015-07"), loaded("2016-07")]
    built = {d.delivery: d.loaded_at for d in deliveries}
    assert deliveries_to_build(deliveries, built) == []


def test_a_new_delivery_is_built_alone() -> None:
    deliveries = [loaded("2015-07"), loaded("2016-07"), loaded("2017-07")]
    built = {d.delivery: d.loaded_at for d in deliveries[:2]}
    assert [d.delivery for d in deliveries_to_build(deliveries, built)] == ["2017-07"]


def test_a_late_older_delivery_rebuilds_it_and_every_later_one() -> None:
    deliveries = [loaded("2015-07"), loaded("2016-01"), loaded("2016-07"), loaded("2017-07")]
    built = {d.delivery: d.loaded_at for d in deliveries if d.delivery != "2016-01"}
    chosen = [d.delivery for d in deliveries_to_build(deliveries, built)]
    assert chosen == ["2016-01", "2016-07", "2017-07"]


def test_a_delivery_loaded_again_rebuilds_it_and_every_later_one() -> None:
    deliveries = [loaded("2015-07"), loaded("2016-07", minutes=5), loaded("2017-07")]
    built = {"2015-07": LOADED_AT, "2016-07": LOADED_AT, "2017-07": LOADED_AT}
    chosen = [d.delivery for d in deliveries_to_build(deliveries, built)]
    assert chosen == ["2016-07", "2017-07"]


def test_the_delivery_is_named_by_the_environment_whatever_the_callers(monkeypatch) -> None:
    monkeypatch.setenv(DELIVERY_VARIABLE, "2099-01")
    assert dbt_environment_for("2016-07", "dev")[DELIVERY_VARIABLE] == "2016-07"
    # the latest: none named, even when the caller's shell names one
    assert dbt_environment_for(None, "dev")[DELIVERY_VARIABLE] == ""


def stage(name: str, wall_s: float, exit_code: int = 0) -> StageResult:
    return StageResult(name, wall_s, wall_s, 100.0, exit_code, "log")


def test_each_build_is_judged_against_the_first() -> None:
    stages = [
        stage("generate", 50),
        stage("build_2015-07", 100),
        stage("build_2016-07", 100 * INCREMENTAL_TARGET),
        stage("build_2017-07", 100 * INCREMENTAL_TARGET + 1),
    ]
    judged = incremental_targets(stages)
    assert judged["completed"]["met"] is True
    assert judged["build_2016-07_vs_first"] == {
        "value": INCREMENTAL_TARGET,
        "target": f"<= {INCREMENTAL_TARGET} (delivery 2 of 3)",
        "met": True,
    }
    assert judged["build_2017-07_vs_first"]["met"] is False
    with_alone = incremental_targets([*stages, stage("alone_build_2017-07", 90)])
    assert with_alone["build_2017-07_vs_alone"]["value"] == round((130 + 1) / 90, 2)
    assert with_alone["build_2017-07_vs_alone"]["met"] is False
    failed = incremental_targets([*stages[:2], stage("build_2016-07", 5, exit_code=1)])
    assert failed["completed"]["value"] == "no, failed at build_2016-07"
    assert "build_2016-07_vs_first" not in failed


def test_the_record_of_an_in_place_build_gives_what_is_still_to_build(tmp_path: Path) -> None:
    """Spark builds in place: the record written after a build that passed holds its
    deliveries; a delivery loaded again later makes it and every later one to build."""
    record = tmp_path / "built_deliveries.json"
    assert recorded_deliveries(record) == {}
    deliveries = [loaded("2015-07"), loaded("2016-07"), loaded("2017-07")]
    record_built_deliveries(record, deliveries)
    assert recorded_deliveries(record) == {d.delivery: d.loaded_at for d in deliveries}
    assert deliveries_to_build(deliveries, recorded_deliveries(record)) == []
    reloaded = [deliveries[0], loaded("2016-07", minutes=30), deliveries[2]]
    chosen = deliveries_to_build(reloaded, recorded_deliveries(record))
    assert [d.delivery for d in chosen] == ["2016-07", "2017-07"]
    assert json.loads(record.read_text())["2015-07"] == LOADED_AT.isoformat()
