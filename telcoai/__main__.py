"""Command line: ``python -m telcoai validate`` checks every table in data/."""

import sys

from telcoai.validate import DataValidationError, validate_package


def main(argv: list[str]) -> int:
    if argv[:1] != ["validate"]:
        print("usage: python -m telcoai validate", file=sys.stderr)
        return 2
    try:
        tables = validate_package()
    except DataValidationError as err:
        print(err, file=sys.stderr)
        print("Nothing was built or published. Fix the cells named above and run the command again.", file=sys.stderr)
        return 1
    counts = ", ".join(f"{name} {len(rows)} rows" for name, rows in tables.items())
    print(f"data/ is valid: {counts}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
