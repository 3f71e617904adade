"""Random draws shared by the generator's modules (vectorised, numpy only)."""

from __future__ import annotations

from collections.abc import Mapping
from enum import IntEnum

import numpy as np


class Stream(IntEnum):
    """Independent random streams: changing one module's draws leaves the others unchanged."""

    PLAN = 1
    HOUSEHOLDS = 2
    INDIVIDUALS = 3
    NAMES = 4
    IDS = 5
    PROGRAMS = 6
    PKH = 7
    DIRT = 8
    FKP = 9
    REGIONS = 10
    HISTORY = 11
    QUESTIONNAIRE_HOUSEHOLDS = 12
    QUESTIONNAIRE_MEMBERS = 13
    QUESTIONNAIRE_DIRT = 14


def stream_rng(seed: int, stream: Stream, chunk: int = 0) -> np.random.Generator:
    """The random generator of one stream for one chunk (chunk 0 also for run-level draws)."""
    return np.random.default_rng([int(seed), int(stream), int(chunk)])


def interpolated_probability(z: np.ndarray, p_rich: float, p_poor: float) -> np.ndarray:
    """Per-row probability moving linearly from p_rich (z = 0) to p_poor (z = 1)."""
    return p_rich + (p_poor - p_rich) * z


def draw_yes(rng: np.random.Generator, z: np.ndarray, p_rich: float, p_poor: float) -> np.ndarray:
    """Boolean draws whose probability follows the poverty score z (0 least poor, 1 poorest)."""
    return rng.random(z.shape[0]) < interpolated_probability(z, p_rich, p_poor)


def draw_codes(
    rng: np.random.Generator,
    z: np.ndarray,
    rich: Mapping[int, float],
    poor: Mapping[int, float] | None = None,
) -> np.ndarray:
    """Codes drawn row by row from a distribution moving from `rich` (z = 0) to `poor` (z = 1)."""
    codes = sorted(set(rich) | set(poor or {}))
    p_rich = np.array([rich.get(c, 0.0) for c in codes], dtype=float)
    p_rich /= p_rich.sum()
    if poor is None:
        p = np.broadcast_to(p_rich, (z.shape[0], len(codes)))
    else:
        p_poor = np.array([poor.get(c, 0.0) for c in codes], dtype=float)
        p_poor /= p_poor.sum()
        p = p_rich[None, :] + (p_poor - p_rich)[None, :] * z[:, None]
    cumulative = np.cumsum(p, axis=1)
    u = rng.random(z.shape[0]) * cumulative[:, -1]
    index = (u[:, None] >= cumulative).sum(axis=1)
    return np.asarray(codes, dtype=np.int64)[np.minimum(index, len(codes) - 1)]


def cumulative_split(total: int, fractions: np.ndarray) -> np.ndarray:
    """Integers summing to `total`, proportional to `fractions` (rounded on the cumulative sum,
    so that every prefix is as close as possible to its exact share)."""
    cumulative = np.concatenate([[0.0], np.cumsum(fractions, dtype=float)])
    cumulative *= total / cumulative[-1]
    return np.diff(np.round(cumulative).astype(np.int64))


def group_starts(sizes: np.ndarray) -> np.ndarray:
    """Index of the first row of each group, for groups of the given sizes laid end to end."""
    starts = np.zeros(sizes.shape[0], dtype=np.int64)
    np.cumsum(sizes[:-1], out=starts[1:])
    return starts


def rank_within(groups: np.ndarray) -> np.ndarray:
    """0-based rank of each row within its run of equal `groups` values (rows already grouped)."""
    n = groups.shape[0]
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    new_group = np.ones(n, dtype=bool)
    new_group[1:] = groups[1:] != groups[:-1]
    first = np.flatnonzero(new_group)
    run_lengths = np.diff(np.append(first, n))
    return np.arange(n) - np.repeat(first, run_lengths)


def choose(rng: np.random.Generator, candidates: np.ndarray, n: int) -> np.ndarray:
    """Up to n distinct values of `candidates`, sorted."""
    n = min(n, candidates.shape[0])
    if n <= 0:
        return np.zeros(0, dtype=np.int64)
    return np.sort(rng.choice(candidates, size=n, replace=False))
