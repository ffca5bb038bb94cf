"""``python -m qingchun_contracts export DIR`` writes the JSON Schemas; ``check DIR`` compares."""

from __future__ import annotations

import sys
from pathlib import Path

from qingchun_contracts.schemas import compatibility_report, current_schemas, load_schemas, write_schemas


def main(argv: list[str]) -> int:
    if len(argv) != 2 or argv[0] not in {"export", "check"}:
        print("usage: python -m qingchun_contracts export|check DIR", file=sys.stderr)
        return 2
    command, directory = argv[0], Path(argv[1])
    if command == "export":
        for path in write_schemas(directory):
            print(path)
        return 0
    problems = compatibility_report(load_schemas(directory), current_schemas())
    for problem in problems:
        print(problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
