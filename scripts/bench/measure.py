"""Run one benchmark stage as a child process and measure it: wall time, CPU time (user +
system of the child and everything it waited for) and peak resident memory (the largest of
them, from wait4)."""

from __future__ import annotations

import os
import subprocess
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path


@dataclass(frozen=True)
class StageResult:
    stage: str
    wall_s: float
    cpu_s: float
    peak_rss_mib: float
    exit_code: int
    log: str

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


class StageFailed(RuntimeError):
    pass


def measured_stage(
    stage: str, command: Sequence[str], env: dict[str, str], cwd: Path, log_dir: Path
) -> StageResult:
    """Run `command`, its output to <log_dir>/<stage>.log; raise StageFailed on a non-zero exit."""
    log_dir.mkdir(parents=True, exist_ok=True)
    log = log_dir / f"{stage}.log"
    started = time.perf_counter()
    with log.open("w", encoding="utf-8") as handle:
        process = subprocess.Popen(
            list(command), cwd=cwd, env=env, stdout=handle, stderr=subprocess.STDOUT
        )
        _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    result = StageResult(
        stage=stage,
        wall_s=round(time.perf_counter() - started, 2),
        cpu_s=round(usage.ru_utime + usage.ru_stime, 2),
        peak_rss_mib=round(usage.ru_maxrss / 1024, 1),
        exit_code=process.returncode,
        log=str(log),
    )
    if process.returncode != 0:
        tail = log.read_text(encoding="utf-8", errors="replace")[-3000:]
        raise StageFailed(f"stage {stage} failed (exit {process.returncode}), log {log}:\n{tail}")
    return result
