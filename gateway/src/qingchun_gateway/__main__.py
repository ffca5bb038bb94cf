"""``python -m qingchun_gateway sdl``: print the schema as committed in gateway/schema.graphql."""

from __future__ import annotations

import sys

from qingchun_gateway.schema.build import sdl


def main(argv: list[str]) -> int:
    if argv != ["sdl"]:
        print("usage: python -m qingchun_gateway sdl", file=sys.stderr)
        return 2
    sys.stdout.write(sdl())
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
