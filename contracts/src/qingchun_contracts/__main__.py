"""``python -m qingchun_contracts export DIR`` writes the JSON Schemas; ``check DIR`` compares;
``asyncapi`` prints the partner contract as AsyncAPI 3.0 (committed as ``contracts/asyncapi.json``)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from qingchun_contracts.asyncapi import build_asyncapi
from qingchun_contracts.schemas import compatibility_report, current_schemas, load_schemas, write_schemas


def asyncapi_json() -> str:
    """The document exactly as committed: sorted keys, Chinese kept readable, one trailing newline."""
    return json.dumps(build_asyncapi(), ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def main(argv: list[str]) -> int:
    if argv == ["asyncapi"]:
        sys.stdout.write(asyncapi_json())
        return 0
    if len(argv) != 2 or argv[0] not in {"export", "check"}:
        print("usage: python -m qingchun_contracts export|check DIR | asyncapi", file=sys.stderr)
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
