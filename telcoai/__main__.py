"""Command line: ``python -m telcoai validate [--record FILE]`` checks every table in data/.

With ``--record``, the digests of the files just validated are written to FILE,
so that the chapters of this build need not validate them again.
"""

import json
import sys
from pathlib import Path

from telcoai.kernel.paths import DATA_DIR
from telcoai.kernel.validate import DataValidationError, digests, validate_package


def main(argv: list[str]) -> int:
    if argv[:1] != ["validate"] or len(argv) not in (1, 3) or (len(argv) == 3 and argv[1] != "--record"):
        print("usage: python -m telcoai validate [--record FILE]", file=sys.stderr)
        return 2
    try:
        tables = validate_package()
    except DataValidationError as err:
        print(err, file=sys.stderr)
        print("Nothing was built or published. Fix the cells named above and run the command again.", file=sys.stderr)
        return 1
    if len(argv) == 3:
        Path(argv[2]).parent.mkdir(parents=True, exist_ok=True)
        Path(argv[2]).write_text(json.dumps({"data_dir": str(DATA_DIR.resolve()), "files": digests()}), encoding="utf-8")
    counts = ", ".join(f"{name} {len(rows)} rows" for name, rows in tables.items())
    print(f"data/ is valid: {counts}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
