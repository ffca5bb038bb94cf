"""Operations commands for one service: dead letters, the outbox, backup and restore, and rebuilding
a read model. Run as ``python -m qingchun_plumbing.ops <service> <command> ...`` (see ``--help`` and
the runbook in ``deploy/README.md``); each command is also a function, for tests and scripts."""


class Refused(RuntimeError):
    """The command would lose or mix data; the message says why and what to do instead."""
