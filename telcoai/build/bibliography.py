"""Bibliography entries generated from the data's source fields.

Each sourced row can be cited in the prose by its key (the row's identifier),
so the text and the data cite the same document, described once, in the data.
The file is regenerated at every build (only rewritten when it changes) and
sits beside the hand-written ``references.bib``.
"""

from __future__ import annotations

from pathlib import Path

from telcoai.tables import load
from telcoai.validate import NO_DATE

#: Tables whose rows the prose may cite, with the column that names each row.
CITABLE = {
    "projects": "project_id", "project_events": "event_id", "cloud_ventures": "event_id",
    "gpu_generations": "gpu_id", "gpu_rental_prices": "observation_id", "model_assumptions": "assumption_id",
    "context_facts": "fact_id", "claims": "claim_id",
}
GENERATED = Path("_build") / "generated" / "data-sources.bib"


def _escape(text: str) -> str:
    text = str(text)
    for char, replacement in (("\\", " "), ("{", "("), ("}", ")"), ("&", "\\&"), ("%", "\\%"), ("#", "\\#")):
        text = text.replace(char, replacement)
    return text


def entry(key: str, row) -> str:
    # Double braces keep the publisher as one corporate author and the title's capitals as written.
    fields = [
        ("author", "{" + _escape(row["source_publisher"]) + "}"),
        ("title", "{" + _escape(row["source_title"]) + "}"),
        ("url", str(row["source_url"]).replace("%", "\\%").replace("#", "\\#")),
        ("note", "Source type: " + _escape(row["source_type"])),
    ]
    if row["source_date"] != NO_DATE:
        fields.insert(2, ("year", row["source_date"][:4]))
        fields.insert(3, ("date", row["source_date"]))
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@online{{{key},\n{body}\n}}\n"


def generate() -> str:
    entries = []
    for table, key_column in CITABLE.items():
        for _, row in load(table).iterrows():
            entries.append(entry(row[key_column], row))
    return "".join(entries)


def write(root: Path) -> Path:
    """Write the generated file under `root` if its content changed; return its path."""
    target = root / GENERATED
    text = generate()
    if not target.exists() or target.read_text(encoding="utf-8") != text:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    return target
