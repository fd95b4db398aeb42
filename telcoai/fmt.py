"""Numbers as the prose shows them, and gluing them into the text."""

from __future__ import annotations

import math


class ProseNumber(str):
    """A number formatted for the prose."""


def eur_bn(value: float, digits: int = 1) -> ProseNumber:
    """'€16.9 billion'."""
    _check(value)
    return ProseNumber(f"€{value:,.{digits}f} billion")


def eur_m(value: float, digits: int = 0) -> ProseNumber:
    """-541e6 -> '−€541 million' (a true minus sign before the currency)."""
    _check(value)
    sign = "−" if value < 0 else ""
    return ProseNumber(f"{sign}€{abs(value) / 1e6:,.{digits}f} million")


def sentence_case(label: str) -> str:
    """'Investment per GPU' -> 'investment per GPU' (acronyms kept)."""
    first, _, rest = label.partition(" ")
    return (first.lower() if not first.isupper() else first) + (" " + rest if rest else "")


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

    # A plain str: {glue:text} reads its repr back with literal_eval, which
    # removes the quotes and leaves text such as "10,000" untouched.
    glue(key, str(text), display=False)
