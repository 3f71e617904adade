"""Identity numbers: NIK and KK (16 digits = 6-digit Kemendagri region + DDMMYY + 4-digit serial),
unique over the whole run across chunks."""

from __future__ import annotations

import numpy as np

MAX_SERIAL = 9_999


def date_digits(
    year: np.ndarray, month: np.ndarray, day: np.ndarray, female: np.ndarray | None = None
) -> np.ndarray:
    """DDMMYY as an integer, with 40 added to the day for women (the NIK rule)."""
    dd = day + (40 * female if female is not None else 0)
    return dd * 10_000 + month * 100 + year % 100


def identity_bases(prefix: np.ndarray, ddmmyy: np.ndarray) -> np.ndarray:
    """The 16-digit number without its serial: prefix (6) + DDMMYY (6) + 0000."""
    return prefix.astype(np.int64) * 10_000_000_000 + ddmmyy.astype(np.int64) * 10_000


class UniqueSerials:
    """Issues base + serial numbers (serial from 0001, mostly small as in real registers), never
    the same number twice in a run. Issued numbers are kept as a sorted int64 array (8 bytes
    each) and checked with searchsorted."""

    def __init__(self) -> None:
        self.issued = np.zeros(0, dtype=np.int64)

    def contains(self, numbers: np.ndarray) -> np.ndarray:
        index = np.searchsorted(self.issued, numbers)
        inside = index < self.issued.shape[0]
        hit = np.zeros(numbers.shape[0], dtype=bool)
        hit[inside] = self.issued[index[inside]] == numbers[inside]
        return hit

    def _clashes(self, numbers: np.ndarray) -> np.ndarray:
        order = np.argsort(numbers, kind="stable")
        ordered = numbers[order]
        repeated = np.zeros(numbers.shape[0], dtype=bool)
        repeated[order[1:]] = ordered[1:] == ordered[:-1]
        return repeated | self.contains(numbers)

    def issue(self, rng: np.random.Generator, bases: np.ndarray) -> np.ndarray:
        serial = np.minimum(rng.geometric(0.6, size=bases.shape[0]), 50)
        numbers = bases + serial
        clash = self._clashes(numbers)
        while clash.any():
            serial[clash] += rng.integers(1, 4, size=int(clash.sum()))
            if serial.max(initial=0) > MAX_SERIAL:
                raise ValueError("more than 9999 identity numbers for one region and date")
            numbers = bases + serial
            clash = self._clashes(numbers)
        self.issued = np.sort(np.concatenate([self.issued, numbers]))
        return numbers
