"""The development token issuer that ships with the local runner.

It keeps an RSA key pair under the data folder and prints signed tokens for a role and a
scope, so a developer can call any service or the gateway as any kind of user::

    python -m qingchun_plumbing.devtoken --role city_admin --scope org-xg-city
"""

from __future__ import annotations

import argparse
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

ISSUER = "qingchun-dev"
AUDIENCE = "qingchun"


class DevIssuer:
    """An RSA key pair on disk and the tokens it signs."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.private_path = directory / "issuer-private.pem"
        self.public_path = directory / "issuer-public.pem"

    def ensure_keys(self) -> DevIssuer:
        """Create the key pair once; later calls reuse it."""
        if self.private_path.exists() and self.public_path.exists():
            return self
        self.directory.mkdir(parents=True, exist_ok=True)
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.private_path.write_bytes(
            key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        )
        self.private_path.chmod(0o600)
        self.public_path.write_bytes(
            key.public_key().public_bytes(
                serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
            )
        )
        return self

    def issue(
        self,
        *,
        roles: list[str],
        scope_orgs: list[str] | None = None,
        subject: str | None = None,
        ttl: timedelta = timedelta(hours=8),
    ) -> str:
        now = datetime.now(UTC)
        claims = {
            "sub": subject or f"dev-{uuid.uuid4().hex[:12]}",
            "iss": ISSUER,
            "aud": AUDIENCE,
            "iat": now,
            "exp": now + ttl,
            "roles": roles,
            "scope_orgs": scope_orgs or [],
        }
        return jwt.encode(claims, self.private_path.read_text(), algorithm="RS256")


def main() -> None:
    parser = argparse.ArgumentParser(description="Print a development token.")
    parser.add_argument("--role", action="append", required=True, help="role, repeatable")
    parser.add_argument("--scope", action="append", default=[], help="organisation id, repeatable")
    parser.add_argument("--subject", default=None)
    parser.add_argument("--hours", type=float, default=8.0)
    parser.add_argument("--dir", type=Path, default=Path(".data/dev-issuer"))
    args = parser.parse_args()
    issuer = DevIssuer(args.dir).ensure_keys()
    print(
        issuer.issue(
            roles=args.role, scope_orgs=args.scope, subject=args.subject, ttl=timedelta(hours=args.hours)
        )
    )


if __name__ == "__main__":
    main()
