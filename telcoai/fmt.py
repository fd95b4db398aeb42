"""Numbers as the prose shows them, and gluing them into the text."""

from __future__ import annotations

import math


class ProseNumber(str):
    """A formatted number whose plain-text form has no quotes, for ``{glue:text}``."""

    def __repr__(self) -> str:
        return str(self)


def eur_bn(value: float, digits: int = 1) -> ProseNumber:
    """'€16.9 billion'."""
    _check(value)
    return ProseNumber(f"€{value:,.{digits}f} billion")


def usd_bn(value: float, digits: int = 1) -> ProseNumber:
    _check(value)
    return ProseNumber(f"${value:,.{digits}f} billion")


def pct(value: float, digits: int = 0) -> ProseNumber:
    """0.1654 -> '17%'."""
    _check(value)
    return ProseNumber(f"{value * 100:.{digits}f}%")


def times(value: float, digits: int = 1) -> ProseNumber:
    """4.23 -> '4.2 times'."""
    _check(value)
    return ProseNumber(f"{value:.{digits}f} times")


def count(value: int) -> ProseNumber:
    return ProseNumber(f"{int(value):,}")


def words(items) -> ProseNumber:
    """['a', 'b', 'c'] -> 'a, b and c'."""
    items = list(items)
    if not items:
        return ProseNumber("none")
    if len(items) == 1:
        return ProseNumber(items[0])
    return ProseNumber(", ".join(items[:-1]) + " and " + items[-1])


def _check(value: float) -> None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        raise ValueError("a number in the prose is missing from the data")


def glue_text(key: str, text: str) -> None:
    """Make `text` available to the prose as {glue:text}`key`."""
    from myst_nb import glue

    glue(key, ProseNumber(text), display=False)
