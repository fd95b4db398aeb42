"""The fact-check of the seed article: verdicts by section, for the appendix and the chapters."""

from __future__ import annotations

import html

import pandas as pd
from IPython.display import HTML

from telcoai.kernel import site, vocab
from telcoai.kernel.tables import load

#: The appendix that lists every claim with its verdict and evidence (a document name).


def verdict_counts() -> pd.Series:
    counts = load("claims")["verdict"].value_counts()
    return counts.reindex(vocab.order("claims", "verdict"), fill_value=0)


def _claim_html(row, anchor: bool, link: bool) -> str:
    ident = html.escape(row.claim_id)
    label = vocab.label("claims", "verdict", row.verdict)
    head = f'<span class="telcoai-verdict telcoai-verdict-{html.escape(row.verdict)}">{label}</span> '
    claim = html.escape(row.claim)
    if link:
        claim = f'<a href="{html.escape(site.page(site.FACT_CHECK, row.claim_id))}">{claim}</a>'
    body = ""
    if not link:
        source = f'<a href="{html.escape(row.source_url, quote=True)}">{html.escape(row.source_publisher)}</a>'
        ours = ""
        if isinstance(row.report_link, str) and row.report_link:
            ours = f' <a href="{html.escape(row.report_link, quote=True)}">The report\'s own data on this</a>.'
        body = (f"<p>{html.escape(row.evidence)} Source: {source} ({html.escape(row.source_date)}).{ours}</p>"
                f"<p class=\"telcoai-other-text\">{html.escape(_other_text(row))}</p>")
    id_attr = f' id="{ident}"' if anchor else ""
    return f'<li{id_attr}>{head}{claim}{body}</li>'


OTHER_TEXT = {
    "same": "says the same", "softer": "puts it more cautiously", "stronger": "puts it more strongly",
    "absent": "does not make this point", "not_retrieved": "could not be compared on this point (the stored copy ends earlier)",
}
ERROR_IN = {"rewrite": "The error is the rewrite's.", "original": "The error is the Fierce original's.",
            "both": "Both texts make this error.", "none": ""}


def _other_text(row) -> str:
    """What the other text says on the same point, and which text made the error."""
    if row.made_by == "original":
        lead = f"A point of the Fierce original; the rewrite {OTHER_TEXT[row.other_text]}."
    elif row.other_text == "not_retrieved" and "not in the retrieved part" in row.other_text_note.lower():
        lead = f"The Fierce original {OTHER_TEXT[row.other_text]}."
    else:
        lead = f"The Fierce original {OTHER_TEXT[row.other_text]}: {row.other_text_note}"
    return " ".join(part for part in (lead, ERROR_IN[row.error_in]) if part)


def error_counts() -> dict[str, int]:
    """How many claims are wrong or overstated (not supported or partly supported), by where the error is:
    the rewrite's alone, the original's alone, or both texts' (a shared error is counted once, under "both")."""
    frame = load("claims")
    wrong = frame[frame["verdict"].isin(["not_supported", "partly_supported"])]
    return {text: int((wrong["error_in"] == text).sum()) for text in ("rewrite", "original", "both")}


def section_list(section: str) -> HTML:
    """The claims of one article section, each linking to its evidence in the appendix."""
    frame = load("claims")
    rows = frame[frame["section"] == section]
    items = "".join(_claim_html(r, anchor=False, link=True) for r in rows.itertuples())
    return HTML(f'<ul class="telcoai-claims">{items}</ul>')


def appendix_html() -> HTML:
    """Every claim with its verdict, evidence and source, grouped by article section."""
    frame = load("claims")
    parts = []
    for section, label in vocab.labels("claims", "section").items():
        rows = frame[frame["section"] == section]
        if rows.empty:
            continue
        items = "".join(_claim_html(r, anchor=True, link=False) for r in rows.itertuples())
        parts.append(f'<h2 id="claims-{section}">{html.escape(label)}</h2><ul class="telcoai-claims">{items}</ul>')
    return HTML("".join(parts))
