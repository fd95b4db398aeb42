"""Numbers as the prose shows them, and gluing them into the text."""

from __future__ import annotations

import math
import re


class ProseNumber(str):
    """A number formatted for the prose."""


def eur_bn(value: float, digits: int = 1) -> ProseNumber:
    """'€16.9 billion'."""
    _check(value)
    return ProseNumber(f"€{value:,.{digits}f} billion")


def eur_m(value: float, digits: int = 0) -> ProseNumber:
    """-541e6 -> '−€541 million': a true minus sign, and no line break inside the amount."""
    _check(value)
    sign = "−\u2060" if value < 0 else ""   # a word joiner: browsers may otherwise break between "−" and "€"
    return ProseNumber(f"{sign}€{abs(value) / 1e6:,.{digits}f}\u00a0million")


MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]


def date(value) -> ProseNumber:
    """'2026-02-04' (or a date) -> '4 February 2026'; '2026-02' -> 'February 2026'; '2026' stays."""
    text = value.isoformat()[:10] if hasattr(value, "isoformat") else str(value).strip()
    parts = text.split("-")
    if not all(part.isdigit() for part in parts) or len(parts) > 3 or len(parts[0]) != 4:
        raise ValueError(f"not an ISO date: {value!r}")
    if len(parts) == 1:
        return ProseNumber(parts[0])
    month = MONTHS[int(parts[1]) - 1]
    if len(parts) == 2:
        return ProseNumber(f"{month} {parts[0]}")
    return ProseNumber(f"{int(parts[2])} {month} {parts[0]}")


def sentence_case(label: str) -> str:
    """'Investment per GPU' -> 'investment per GPU' (acronyms kept)."""
    first, _, rest = label.partition(" ")
    return (first.lower() if not first.isupper() else first) + (" " + rest if rest else "")


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


#: Shares that read better as words than as rounded percentages (two thirds is not 67 %).
FRACTION_WORDS = {(1, 2): "half", (1, 3): "a third", (2, 3): "two thirds", (1, 4): "a quarter", (3, 4): "three quarters"}


def share(value: float) -> ProseNumber:
    """2/3 -> 'two thirds'; a share with no short name -> its percentage."""
    from fractions import Fraction

    exact = Fraction(value).limit_denominator(12)
    words = FRACTION_WORDS.get((exact.numerator, exact.denominator))
    return ProseNumber(words) if words and abs(float(exact) - value) < 1e-9 else pct(value)


def plural(value: int, one: str, many: str, none: str | None = None) -> ProseNumber:
    """3, 'error', 'errors' -> '3 errors'; 1 -> '1 error'; 0 -> `none` if given."""
    value = int(value)
    if value == 0 and none is not None:
        return ProseNumber(none)
    return ProseNumber(f"{value:,} {one if value == 1 else many}")


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


ISO_DATE = re.compile(r"^\d{4}-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?$")


def glue_text(key: str, text: str) -> None:
    """Make `text` available to the prose as {glue:text}`key`.

    An ISO date ('2026-02-04', '2026-02') is written as the prose writes dates
    ('4 February 2026', 'February 2026').
    """
    from myst_nb import glue

    if ISO_DATE.match(str(text)):
        text = date(text)
    # A plain str: {glue:text} reads its repr back with literal_eval, which
    # removes the quotes and leaves text such as "10,000" untouched.
    glue(key, str(text), display=False)


#: How each project status reads in a sentence, singular and plural, in the order the prose lists them.
STAGE_PHRASES = {
    "live": ("is in operation", "are in operation"),
    "building": ("is being built", "are being built"),
    "delayed": ("is reported delayed", "are reported delayed"),
    "cancelled": ("was cancelled", "were cancelled"),
    "announced": ("is still at the announcement stage", "are still at the announcement stage"),
}


def stage_counts(counts) -> str:
    """{'live': 3, 'announced': 7} -> '3 are in operation and 7 are still at the announcement stage'; zero stages are left out."""
    parts = [f"{n} {STAGE_PHRASES[stage][0 if n == 1 else 1]}"
             for stage in STAGE_PHRASES for n in [int(counts.get(stage, 0))] if n]
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
