"""Context facts (EU programmes, cloud market shares, largest GPU clusters), looked up by id."""

from __future__ import annotations

import pandas as pd

from telcoai.kernel.tables import load


def fact(fact_id: str) -> pd.Series:
    """One context fact; a missing id is an error, not a silent gap in the prose."""
    facts = load("context_facts").set_index("fact_id")
    if fact_id not in facts.index:
        raise KeyError(f"no fact {fact_id!r} in data/context_facts.csv")
    return facts.loc[fact_id]


def facts(topic: str) -> pd.DataFrame:
    return load("context_facts").query("topic == @topic").reset_index(drop=True)
