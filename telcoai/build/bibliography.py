"""Bibliography entries generated from the data's source fields.

Each sourced row can be cited in the prose by its key (the row's identifier),
so the text and the data cite the same document, described once, in the data.
Rows that share a source (the same address) become one entry: the first
row's key names it, and the build rewrites citations of the other rows' keys
to that key (``aliases``), so the reference list has one entry per source. A
source already described in the hand-written ``references.bib`` is not
generated again. The file is regenerated at every build (only rewritten when
it changes) and sits beside ``references.bib``.
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from telcoai.kernel.paths import ROOT
from telcoai.kernel.tables import records
from telcoai.kernel.validate import NO_DATE


def citable() -> dict[str, str]:
    """Tables whose rows the prose may cite, with the column that names each row.

    A table is citable when its schema in datapackage.json names the column
    (``x-cite-key``); a new table needs nothing else.
    """
    from telcoai.kernel.validate import read_descriptor

    return {r["name"]: r["schema"]["x-cite-key"] for r in read_descriptor()["resources"] if "x-cite-key" in r["schema"]}

GENERATED = Path("_build") / "generated" / "data-sources.bib"
HAND_WRITTEN = "references.bib"
#: Query parameters that only track where a reader came from; they do not change the document.
TRACKING = re.compile(r"^(utm_|itm_|fbclid$|gclid$)")
#: Where a publisher field stops naming the publisher and starts describing how it carried the source.
QUALIFIER = re.compile(r" \(|, | via ")
#: Kinds of document that a publisher field sometimes names after the publisher ("NVIDIA press release").
KINDS = ("press release", "news item")


def normalise_url(url: str) -> str:
    """The address that identifies a document: without tracking parameters or a trailing slash."""
    parts = urlsplit(str(url).strip())
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not TRACKING.match(k)])
    path = parts.path.rstrip("/") or "/"
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), path, query, ""))


def publisher_and_note(publisher: str) -> tuple[str, str]:
    """Split a publisher field into the publisher's name and a note on how it carried the source.

    "Mobile Europe (reporting Synergy Research Group data)" -> ("Mobile Europe",
    "Reporting Synergy Research Group data").
    """
    text = " ".join(str(publisher).split())
    match = QUALIFIER.search(text)
    if not match:
        return text, ""
    name, rest = text[: match.start()].strip(), text[match.end():].strip()
    if match.group(0) == " (":
        # The parenthesis that opened the qualifier: drop it and its closing bracket.
        depth, close = 1, None
        for index, char in enumerate(rest):
            depth += {"(": 1, ")": -1}.get(char, 0)
            if depth == 0:
                close = index
                break
        if close is not None:
            rest = (rest[:close] + rest[close + 1:]).strip()
    elif match.group(0) == " via ":
        rest = "via " + rest
    rest = rest.strip(" ,;")
    for kind in KINDS:
        if name.lower().endswith(" " + kind):
            name = name[: -len(kind) - 1].strip()
            rest = kind + (", " + rest[:1].lower() + rest[1:] if rest else "")
            break
    first = rest.split(" ")[0] if rest else ""
    if first.isalpha() and first.islower():
        rest = rest[:1].upper() + rest[1:]
    return name, rest


def hand_written_urls(root: Path = ROOT) -> dict[str, str]:
    """Normalised URL -> key of each entry in references.bib."""
    from pybtex.database import parse_file

    path = root / HAND_WRITTEN
    if not path.exists():
        return {}
    data = parse_file(str(path), bib_format="bibtex")
    return {normalise_url(e.fields["url"]): key for key, e in data.entries.items() if "url" in e.fields}


def sources(root: Path = ROOT) -> tuple[dict[str, object], dict[str, str]]:
    """(canonical key -> source row, every citable key -> its canonical key)."""
    known = hand_written_urls(root)
    by_url: dict[str, str] = {}
    entries: dict[str, object] = {}
    alias: dict[str, str] = {}
    for table, key_column in citable().items():
        for row in records(table):
            key = str(row[key_column])
            url = normalise_url(row["source_url"])
            if url in known:
                alias[key] = known[url]
            elif url in by_url:
                alias[key] = by_url[url]
            else:
                by_url[url] = key
                entries[key] = row
                alias[key] = key
    return entries, alias


def aliases(root: Path = ROOT) -> dict[str, str]:
    return sources(root)[1]


def entry_fields(row) -> tuple[str, list[tuple[str, str]]]:
    """(author, fields) of a source row: the publisher as one organisation, title, date, address, note."""
    author, note = publisher_and_note(row["source_publisher"])
    fields = [("title", "{" + " ".join(str(row["source_title"]).split()) + "}")]
    if row["source_date"] != NO_DATE:
        fields += [("year", str(row["source_date"])[:4]), ("date", str(row["source_date"]))]
    fields.append(("url", str(row["source_url"]).strip()))
    if note:
        fields.append(("note", note))
    return author, fields


def entry(key: str, row) -> str:
    return _write({key: row})


def _write(rows: dict[str, object]) -> str:
    from pybtex.database import BibliographyData, Entry, Person

    from telcoai.kernel.citation import _bibtex_writer

    entries = {}
    for key, row in rows.items():
        author, fields = entry_fields(row)
        # Double braces keep the publisher as one corporate author, never split at "and".
        entries[key] = Entry("online", fields=fields, persons={"author": [Person("{" + author + "}")]})
    stream = io.StringIO()
    _bibtex_writer().write_stream(BibliographyData(entries), stream)
    return stream.getvalue()


def generate(root: Path = ROOT) -> str:
    return _write(sources(root)[0])


def write(root: Path) -> Path:
    """Write the generated file under `root` if its content changed; return its path."""
    target = root / GENERATED
    text = generate(root)
    if not target.exists() or target.read_text(encoding="utf-8") != text:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    return target


CITE_ROLE = re.compile(r"(\{cite(?::\w+)?\}`)([^`]*)(`)")


def rewrite_citations(text: str, alias: dict[str, str]) -> str:
    """Point every citation of a row's key at its source's one entry (each source once per citation)."""
    def replace(match: re.Match) -> str:
        keys, seen = [], set()
        for key in (k.strip() for k in match.group(2).split(",")):
            canonical = alias.get(key, key)
            if canonical not in seen:
                seen.add(canonical)
                keys.append(canonical)
        return match.group(1) + ",".join(keys) + match.group(3)

    return CITE_ROLE.sub(replace, text)
