"""A chunk's households and members with their program flags, and row selection on them."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any

import numpy as np
import pyarrow as pa

from scripts.generate.households import Households
from scripts.generate.individuals import Individuals


def taken(value: Any, rows: np.ndarray) -> Any:
    """Rows of an array, Arrow array, dict of arrays or dataclass of them."""
    if isinstance(value, np.ndarray):
        return value[rows]
    if isinstance(value, pa.Array):
        return value.take(pa.array(rows, type=pa.int64()))
    if isinstance(value, dict):
        return {k: taken(v, rows) for k, v in value.items()}
    return type(value)(**{f.name: taken(getattr(value, f.name), rows) for f in fields(value)})


def joined(first: Any, second: Any) -> Any:
    """Rows of `first` then rows of `second` (same structure as in `taken`)."""
    if isinstance(first, np.ndarray):
        return np.concatenate([first, second.astype(first.dtype)])
    if isinstance(first, pa.Array):
        return pa.concat_arrays([first, second])
    if isinstance(first, dict):
        return {k: joined(v, second[k]) for k, v in first.items()}
    return type(first)(
        **{f.name: joined(getattr(first, f.name), getattr(second, f.name)) for f in fields(first)}
    )


@dataclass
class Population:
    """Households and members with their program flags (one chunk, or one delivery of it)."""

    households: Households
    people: Individuals
    household_flags: dict[str, np.ndarray]
    person_flags: dict[str, np.ndarray]


@dataclass
class Malformed:
    """Members whose NIK is written malformed in the deliveries before `until`."""

    person: np.ndarray  # universe person index (in a delivery: its rows)
    until: np.ndarray
    kind: list[str]
    text: list[str]
    # In a delivery: the rows of the NIKs corrected in it, kept free of defects.
    corrected: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
