"""When each delivery is made, its folder name, and which PKH stage lists it holds."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from scripts.generate.config import PKH_STAGES, REFERENCE_DATE
from scripts.generate.pkh import STAGE_WINDOWS

MAX_DELIVERIES = 40


@dataclass(frozen=True)
class Delivery:
    index: int  # 0 = the first (PBDT 2015)
    date: dt.date  # first day of its month
    last: bool

    @property
    def folder(self) -> str:
        return f"{self.date.year:04d}-{self.date.month:02d}"


def months_after(start: dt.date, months: int) -> dt.date:
    """The first day of the month `months` after `start`'s month."""
    total = start.year * 12 + start.month - 1 + months
    return dt.date(total // 12, total % 12 + 1, 1)


def delivery_schedule(count: int, interval_months: int) -> tuple[Delivery, ...]:
    """`count` deliveries every `interval_months` from the PBDT 2015 reference date."""
    return tuple(
        Delivery(k, months_after(REFERENCE_DATE, k * interval_months), k == count - 1)
        for k in range(count)
    )


def stage_end(year: int, tahap: int) -> dt.date:
    """Last day of a PKH stage's payment window."""
    month, day = STAGE_WINDOWS[tahap][1]
    return dt.date(year, month, day)


def stages_held(delivery: Delivery) -> tuple[int, ...]:
    """Indexes (into PKH_STAGES) of the stage lists a delivery holds: every stage paid by its
    date; the last delivery holds the whole 2016-2017 series (it is the single-delivery sample)."""
    return tuple(
        i
        for i, (year, tahap) in enumerate(PKH_STAGES)
        if delivery.last or stage_end(year, tahap) < delivery.date
    )
