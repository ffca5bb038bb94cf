"""``python -m qingchun_partners …``: the admin command line (see :mod:`qingchun_partners.cli`)."""

from __future__ import annotations

import sys

from qingchun_partners.cli import main

if __name__ == "__main__":
    sys.exit(main())
