"""Run one benchmark stage as a child process and measure it: wall time, CPU time (user +
system of the child and everything it waited for), peak resident memory (the largest of them,
from wait4), peak disk use of the benchmark's working folder (sampled every few seconds, so
DuckDB's spill files count) and the machine's load meanwhile (the mean of the one-minute load
average at the same samples: on a shared machine, what else was running)."""

from __future__ import annotations

import contextlib
import ctypes
import os
import subprocess
import sys
import threading
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
    peak_disk_gib: float = 0.0
    mean_load: float | None = None

    @property
    def failed(self) -> bool:
        return self.exit_code != 0

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def folder_bytes(folder: Path) -> int:
    """Bytes of every file under `folder` (files vanishing meanwhile are skipped)."""
    total = 0
    for root, _, files in os.walk(folder):
        for name in files:
            try:
                total += os.stat(os.path.join(root, name), follow_symlinks=False).st_size
            except OSError:
                continue
    return total


class _DiskSampler(threading.Thread):
    """The largest size of a folder seen while a stage runs, and the machine's one-minute load
    average at each sample."""

    def __init__(self, folder: Path, every_s: float = 5.0) -> None:
        super().__init__(daemon=True)
        self.folder, self.every_s = folder, every_s
        self.peak_bytes = folder_bytes(folder)
        self.loads = [os.getloadavg()[0]]
        self._stop_event = threading.Event()

    def run(self) -> None:
        while not self._stop_event.wait(self.every_s):
            self.peak_bytes = max(self.peak_bytes, folder_bytes(self.folder))
            self.loads.append(os.getloadavg()[0])

    @property
    def mean_load(self) -> float:
        return round(sum(self.loads) / len(self.loads), 2)

    def stopped(self) -> int:
        self._stop_event.set()
        self.join()
        return max(self.peak_bytes, folder_bytes(self.folder))


# prctl(2): orphaned descendants are reparented to this process instead of init.
PR_SET_CHILD_SUBREAPER = 36


def adopt_orphans() -> None:
    """Become the reaper of this process's orphaned descendants (Linux; elsewhere nothing): a
    stage's grandchildren that outlive it (the JVM that pyspark starts and never waits for)
    come back to the benchmark, which waits for them and counts their CPU time and memory."""
    with contextlib.suppress(AttributeError, OSError):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)


def child_pids() -> set[int]:
    """The processes whose parent is this process (from /proc; empty where there is none)."""
    children = set()
    for entry in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = entry.read_text(encoding="utf-8").rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == os.getpid():
            children.add(int(entry.parent.name))
    return children


def measured_stage(
    stage: str,
    command: Sequence[str],
    env: dict[str, str],
    cwd: Path,
    log_dir: Path,
    disk_folder: Path | None = None,
    disk_every_s: float = 5.0,
) -> StageResult:
    """Run `command`, its output to <log_dir>/<stage>.log. A failed stage is returned with its
    exit code (see `StageResult.failed`) so that the benchmark can record how far it got."""
    log_dir.mkdir(parents=True, exist_ok=True)
    log = log_dir / f"{stage}.log"
    adopt_orphans()
    earlier_children = child_pids()
    sampler = _DiskSampler(disk_folder or log_dir.parent, disk_every_s)
    sampler.start()
    started = time.perf_counter()
    with log.open("w", encoding="utf-8") as handle:
        process = subprocess.Popen(
            list(command), cwd=cwd, env=env, stdout=handle, stderr=subprocess.STDOUT
        )
        _, status, usage = os.wait4(process.pid, 0)
        # the stage's orphans, reparented here: waited for (they end with their parent)
        usages = [usage, *(os.wait4(pid, 0)[2] for pid in child_pids() - earlier_children)]
    wall_s = time.perf_counter() - started  # before the sampler's last walk of the folder
    peak_disk = sampler.stopped()
    return StageResult(
        stage=stage,
        wall_s=round(wall_s, 2),
        cpu_s=round(sum(each.ru_utime + each.ru_stime for each in usages), 2),
        peak_rss_mib=round(max(each.ru_maxrss for each in usages) / 1024, 1),
        exit_code=os.waitstatus_to_exitcode(status),
        log=str(log),
        peak_disk_gib=round(peak_disk / 2**30, 2),
        mean_load=sampler.mean_load,
    )


def reported_failure(result: StageResult, characters: int = 3000) -> bool:
    """True when the stage failed, after printing the end of its log to stderr."""
    if result.failed:
        tail = Path(result.log).read_text(encoding="utf-8", errors="replace")[-characters:]
        print(f"stage {result.stage} failed (exit {result.exit_code}), log {result.log}:\n{tail}",
              file=sys.stderr, flush=True)  # fmt: skip
    return result.failed
