"""Loader options given for the export files: one value for every file, or values per file-name
pattern (`--encoding cp1252`, `--encoding 'pkh*=cp1252'`, `--header-row 'pkh*.xlsx=4'`)."""

from __future__ import annotations

import fnmatch
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")
U = TypeVar("U")
PATTERN_SEPARATOR = "="


@dataclass(frozen=True)
class FileOption(Generic[T]):
    """A value for the export files whose name matches a pattern (fnmatch, letter case ignored;
    the first matching pattern in the order given wins), else `default` (None: not given)."""

    default: T | None = None
    patterns: tuple[tuple[str, T], ...] = ()

    def value_for(self, file_name: str) -> T | None:
        name = file_name.lower()
        for pattern, value in self.patterns:
            if fnmatch.fnmatchcase(name, pattern.lower()):
                return value
        return self.default

    def mapped(self, convert: Callable[[T], U]) -> FileOption[U]:
        """The option with `convert` applied to every value (e.g. a check raising ValueError)."""
        return FileOption(
            default=None if self.default is None else convert(self.default),
            patterns=tuple((pattern, convert(value)) for pattern, value in self.patterns),
        )

    def unmatched_patterns(self, file_names: Iterable[str]) -> list[str]:
        """The patterns that match none of these file names, as given."""
        names = [n.lower() for n in file_names]
        return [
            f"{pattern}{PATTERN_SEPARATOR}{value}"
            for pattern, value in self.patterns
            if not fnmatch.filter(names, pattern.lower())
        ]


def file_option(value: T | FileOption[T] | None) -> FileOption[T]:
    """A plain value (or None) as the option giving it to every export file."""
    return value if isinstance(value, FileOption) else FileOption(default=value)


def parsed_file_option(values: Sequence[str], parse: Callable[[str], T]) -> FileOption[T]:
    """The option from its command-line values, each `VALUE` (every export file) or
    `PATTERN=VALUE`; `parse` checks a value (ValueError). ValueError for two plain values."""
    default: T | None = None
    patterns: list[tuple[str, T]] = []
    for text in values:
        pattern, separator, value = text.rpartition(PATTERN_SEPARATOR)
        if separator and not pattern:
            raise ValueError(f"{text!r}: no file-name pattern before {PATTERN_SEPARATOR!r}")
        if separator:
            patterns.append((pattern, parse(value)))
        elif default is not None:
            raise ValueError(f"two values for every file ({default!r} and {text!r})")
        else:
            default = parse(value)
    return FileOption(default=default, patterns=tuple(patterns))
