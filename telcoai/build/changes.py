"""What changed since the last good build: the summary a maintainer reads before publishing.

``python -m telcoai.build.changes WORK STATE OUT`` compares the build just finished
(its executed notebooks' glued values, the chapters it re-executed and why,
the tables in ``data/``) with the snapshot the last good build left in STATE,
writes the comparison to OUT (``_build/changes.json``), prints it, and then
replaces the snapshot. It runs only after a build has been published, so the
snapshot always describes the site readers can see.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import sys
from pathlib import Path

from telcoai.kernel.paths import DATA_DIR
from telcoai.kernel.validate import read_descriptor


def glued_values(work: Path) -> dict[str, dict[str, str]]:
    """Every glued prose value, by page, as the text that appears in the page."""
    values = {}
    for path in sorted((work / "_build" / "jupyter_execute").rglob("*.glue.json")):
        page = path.relative_to(work / "_build" / "jupyter_execute").as_posix().removesuffix(".glue.json")
        data = json.loads(path.read_text(encoding="utf-8"))
        values[page] = {key: _shown(entry.get("data", {}).get("text/plain", "")) for key, entry in data.items()}
    return values


def _shown(plain: str) -> str:
    # glue stores a string's repr ('…'); the page shows the string itself.
    if len(plain) >= 2 and plain[0] == plain[-1] and plain[0] in "'\"":
        try:
            import ast

            return str(ast.literal_eval(plain))
        except (ValueError, SyntaxError):
            pass
    return plain


def read_table(path: Path) -> list[dict[str, str]]:
    if not path.exists():
        return []
    text = path.read_bytes().decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text, newline="")))


def table_changes(old_dir: Path, new_dir: Path, descriptor: dict) -> dict[str, dict]:
    """Per table: rows added, changed (field: old -> new) and removed, by primary key."""
    out = {}
    for resource in descriptor["resources"]:
        key = resource["schema"].get("primaryKey") or [f["name"] for f in resource["schema"]["fields"]]
        old = {tuple(r.get(k, "") for k in key): r for r in read_table(old_dir / resource["path"])}
        new = {tuple(r.get(k, "") for k in key): r for r in read_table(new_dir / resource["path"])}
        label = lambda k: " / ".join(k)   # noqa: E731
        added = [label(k) for k in new if k not in old]
        removed = [label(k) for k in old if k not in new]
        changed = []
        for k in new:
            if k in old and new[k] != old[k]:
                fields = {f: {"old": old[k].get(f), "new": new[k].get(f)}
                          for f in sorted(set(old[k]) | set(new[k])) if old[k].get(f) != new[k].get(f)}
                changed.append({"key": label(k), "fields": fields})
        if added or removed or changed:
            out[resource["name"]] = {"file": f"data/{resource['path']}", "key": key,
                                     "added": added, "changed": changed, "removed": removed}
    return out


def value_changes(old: dict[str, dict[str, str]], new: dict[str, dict[str, str]]) -> list[dict]:
    found = []
    for page in sorted(set(old) | set(new)):
        before, after = old.get(page, {}), new.get(page, {})
        for key in sorted(set(before) | set(after)):
            if before.get(key) != after.get(key):
                found.append({"page": page, "name": key, "old": before.get(key), "new": after.get(key)})
    return found


def summarise(work: Path, state: Path, data_dir: Path = DATA_DIR) -> dict:
    executed_file = work / "_build" / "executed.json"
    executed = json.loads(executed_file.read_text(encoding="utf-8")) if executed_file.exists() else {}
    previous = json.loads((state / "glue.json").read_text(encoding="utf-8")) if (state / "glue.json").exists() else None
    current = glued_values(work)
    return {
        "since": "the last good build" if previous is not None else "nothing (first build)",
        "executed": [{"page": page, "because": why} for page, why in sorted(executed.items())],
        "prose_values": value_changes(previous, current) if previous is not None else [],
        "tables": table_changes(state / "data", data_dir, read_descriptor(data_dir)) if previous is not None else {},
    }


def snapshot(work: Path, state: Path, data_dir: Path = DATA_DIR) -> None:
    """Keep what the published site was built from, for the next comparison."""
    fresh = state.with_name(state.name + ".new")
    shutil.rmtree(fresh, ignore_errors=True)
    shutil.copytree(data_dir, fresh / "data")
    (fresh / "glue.json").write_text(json.dumps(glued_values(work), indent=1, ensure_ascii=False), encoding="utf-8")
    shutil.rmtree(state, ignore_errors=True)
    fresh.rename(state)


def describe(summary: dict) -> str:
    lines = [f"Changes since {summary['since']}:"]
    executed = summary["executed"]
    lines.append(f"  chapters re-executed: {len(executed)}")
    lines += [f"    {e['page']} (because {e['because']})" for e in executed]
    values = summary["prose_values"]
    lines.append(f"  prose values changed: {len(values)}")
    lines += [f"    {v['page']} {v['name']}: {v['old']!r} -> {v['new']!r}" for v in values]
    for name, change in summary["tables"].items():
        lines.append(f"  {change['file']}: {len(change['added'])} added, {len(change['changed'])} changed, "
                     f"{len(change['removed'])} removed")
        lines += [f"    + {k}" for k in change["added"]]
        for row in change["changed"]:
            fields = "; ".join(f"{f}: {v['old']!r} -> {v['new']!r}" for f, v in row["fields"].items())
            lines.append(f"    ~ {row['key']}: {fields}")
        lines += [f"    - {k}" for k in change["removed"]]
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    work, state, out = (Path(a) for a in argv)
    summary = summarise(work, state)
    out.write_text(json.dumps(summary, indent=1, ensure_ascii=False), encoding="utf-8")
    print(describe(summary))
    snapshot(work, state)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
