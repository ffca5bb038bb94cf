"""Signed, publicly verifiable certificates: numbers, masking, canonical form and Ed25519 signatures.

Every service that issues certificates (volunteering's 志愿服务证明, education's 结业证书) builds
them the same way: two JSON objects. The *record* holds what only the holder, their guardian and
the issuer's staff may read (ids, full name, a random salt). The *attestation* is what anyone may
read at the verification URL (masked name, issuer, what is certified) plus the SHA-256 digest of
the record. Only the attestation is signed (Ed25519 over its canonical bytes), so a public
verifier checks it offline without ever seeing personal data, and a holder who shows the full
record proves it is the signed one by its digest. The salt keeps the digest from confirming
guesses ("is the holder 张三?"). What a certificate states is each service's own business.

Pure code (no I/O), so services' domain modules may import it.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from qingchun_plumbing.labels import LabelledEnum
from qingchun_plumbing.rules import DomainError

ALGORITHM = "Ed25519"
VERIFICATION_PATH = "/v1/certificates/{number}/verification"
SIGNING_KEYS_PATH = "/v1/certificates/signing-keys"


class CertificateStatus(LabelledEnum):
    VALID = ("valid", "有效")
    REVOKED = ("revoked", "已撤销")


# numbers ---------------------------------------------------------------------------------------
# ``QC-2026-7K3M-Q9XA-R``: a service prefix, the issue year, 40 random bits as 8 Crockford base-32
# characters, and a check character. 2^40 ≈ 1.1 × 10^12 numbers a year make a number unguessable:
# even at a million certificates a year a blind guess hits one about once in a million tries, so
# the public verification URL cannot be walked. The check character (Luhn mod 32 over year and
# random part) catches every single mistyped character and every swap of two neighbours except
# 0↔Z before the store is asked, so a typo is told apart from "no such certificate" (a possible
# forgery). The prefix names the issuing service, so two services' numbers never collide.
# Crockford's alphabet has no I, L, O or U; when read back, I and L mean 1 and O means 0.
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
RANDOM_BITS = 40
_RANDOM_CHARS = RANDOM_BITS // 5
_READ_AS = str.maketrans({"I": "1", "L": "1", "O": "0"})
MAX_NUMBER_LENGTH = 40


def _check_character(chars: str) -> str:
    """Luhn mod N (N = 32) over the characters' alphabet positions."""
    total, factor = 0, 2
    for char in reversed(chars):
        addend = factor * ALPHABET.index(char)
        total += addend // len(ALPHABET) + addend % len(ALPHABET)
        factor = 3 - factor
    return ALPHABET[-total % len(ALPHABET)]


@dataclass(frozen=True)
class CertificateNumbers:
    """The numbers of one issuing service, told apart from other services' by ``prefix``."""

    prefix: str

    def __post_init__(self) -> None:
        # Letters of the alphabet only: a digit would run into the year, and I, L or O would be
        # read back as digits, so the prefix could never match again.
        if not 1 <= len(self.prefix) <= 4 or not all(c in ALPHABET[10:] for c in self.prefix):
            raise ValueError(f"certificate number prefix {self.prefix!r} must be 1-4 letters of {ALPHABET}")

    def number(self, year: int, random_value: int) -> str:
        """The number for an issue year and a random value of :data:`RANDOM_BITS` bits."""
        if not 0 <= random_value < 1 << RANDOM_BITS or not 1000 <= year <= 9999:
            raise ValueError("year or random value out of range")
        body = "".join(ALPHABET[(random_value >> shift) & 31] for shift in range(RANDOM_BITS - 5, -1, -5))
        return self._formatted(str(year), body, _check_character(f"{year}{body}"))

    def parse(self, text: str) -> str:
        """The canonical number for what a person typed (any case, hyphens or spaces optional)."""
        compact = re.sub(r"[\s-]", "", text.upper()).translate(_READ_AS)
        pattern = rf"{self.prefix}(\d{{4}})([{ALPHABET}]{{{_RANDOM_CHARS}}})([{ALPHABET}])"
        match = re.fullmatch(pattern, compact) if len(text) <= MAX_NUMBER_LENGTH else None
        if match is None:
            raise DomainError(
                "certificate_number_malformed",
                f"证书编号格式不正确，应为 {self.prefix}-年份-XXXX-XXXX-X",
                field="number",
            )
        year, body, check = match.groups()
        if _check_character(year + body) != check:
            raise DomainError(
                "certificate_number_mistyped", "证书编号校验位不符，请核对是否输错", field="number"
            )
        return self._formatted(year, body, check)

    def _formatted(self, year: str, body: str, check: str) -> str:
        return f"{self.prefix}-{year}-{body[:4]}-{body[4:]}-{check}"


def verification_url(public_base_url: str, number: str) -> str:
    """Where anyone checks a certificate; printed on it."""
    return public_base_url.rstrip("/") + VERIFICATION_PATH.format(number=number)


# masking -----------------------------------------------------------------------------------------
COMPOUND_SURNAMES = frozenset(
    [
        "欧阳",
        "司马",
        "上官",
        "诸葛",
        "东方",
        "皇甫",
        "尉迟",
        "公孙",
        "慕容",
        "长孙",
        "宇文",
        "司徒",
        "夏侯",
        "轩辕",
        "令狐",
        "钟离",
        "端木",
        "独孤",
        "南宫",
        "西门",
        "百里",
        "呼延",
        "东郭",
        "澹台",
        "公冶",
        "太史",
        "申屠",
        "万俟",
        "闻人",
        "赫连",
        "拓跋",
        "完颜",
    ]
)


def mask_name(name: str) -> str:
    """The surname stays, every other character becomes ``*`` (张三 → 张*, 欧阳娜娜 → 欧阳**).

    Enough for a reader holding the paper certificate to see it names its bearer, too little to
    identify anyone from the public page. A one-character name is masked whole; a compound
    surname is kept only when a given name follows it.
    """
    name = name.strip()
    if len(name) <= 1:
        return "*"
    kept = 2 if name[:2] in COMPOUND_SURNAMES and len(name) > 2 else 1
    return name[:kept] + "*" * (len(name) - kept)


# canonical form ----------------------------------------------------------------------------------
def _check_canonical(value: Any, where: str = "$") -> None:
    """Only strings, integers, booleans, null, lists and string-keyed objects: floats have no single
    text form across languages, so a verifier in another language could not rebuild the bytes."""
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                raise TypeError(f"{where}: keys must be strings")
            _check_canonical(item, f"{where}.{key}")
    elif isinstance(value, list):
        for position, item in enumerate(value):
            _check_canonical(item, f"{where}[{position}]")
    elif value is not None and not isinstance(value, str | int):
        raise TypeError(f"{where}: {type(value).__name__} cannot be signed")


def canonical(payload: dict[str, Any]) -> bytes:
    """Sorted keys, no whitespace, UTF-8 (not \\u escapes): the exact bytes that are signed."""
    _check_canonical(payload)
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def digest(payload: dict[str, Any]) -> str:
    return hashlib.sha256(canonical(payload)).hexdigest()


# keys and signatures -----------------------------------------------------------------------------
@dataclass(frozen=True)
class PublicKey:
    kid: str
    raw: bytes

    @classmethod
    def from_raw(cls, raw: bytes) -> PublicKey:
        """The key with the id it derives; an id stored beside a key is never taken on trust."""
        return cls(key_id(raw), raw)

    @property
    def raw_base64(self) -> str:
        return base64.b64encode(self.raw).decode()

    @property
    def pem(self) -> str:
        key = Ed25519PublicKey.from_public_bytes(self.raw)
        return key.public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        ).decode()


@dataclass(frozen=True)
class SigningKey:
    private: Ed25519PrivateKey

    @property
    def public(self) -> PublicKey:
        raw = self.private.public_key().public_bytes(
            serialization.Encoding.Raw, serialization.PublicFormat.Raw
        )
        return PublicKey.from_raw(raw)

    @property
    def pem(self) -> str:
        return self.private.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        ).decode()

    def sign(self, payload: dict[str, Any]) -> str:
        return base64.b64encode(self.private.sign(canonical(payload))).decode()


def key_id(public_raw: bytes) -> str:
    """A key's id is derived from the key itself: no registry of names can disagree with it."""
    return "ed25519-" + hashlib.sha256(public_raw).hexdigest()[:16]


def generate_signing_key() -> SigningKey:
    return SigningKey(Ed25519PrivateKey.generate())


def load_signing_key(pem: str) -> SigningKey:
    """An Ed25519 private key in PEM (PKCS#8); anything else is a configuration error."""
    key = serialization.load_pem_private_key(pem.encode(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError("the certificate signing key must be an Ed25519 private key")
    return SigningKey(key)


def signature_holds(public: PublicKey, payload: dict[str, Any], signature: str) -> bool:
    """True only if ``signature`` is ``public``'s signature over the canonical payload."""
    try:
        raw_signature = base64.b64decode(signature, validate=True)
        Ed25519PublicKey.from_public_bytes(public.raw).verify(raw_signature, canonical(payload))
    except (InvalidSignature, ValueError, TypeError):
        return False
    return True


def is_authentic(
    public: PublicKey | None, attestation: dict[str, Any], record: dict[str, Any], signature: str
) -> bool:
    """The attestation is signed by the key it names (``kid``), and the record is the one it
    digests (``record_digest``)."""
    return (
        public is not None
        and attestation.get("kid") == public.kid
        and signature_holds(public, attestation, signature)
        and attestation.get("record_digest") == digest(record)
    )
