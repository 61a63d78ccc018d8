"""Password hashes: scrypt (memory-hard, in the standard library), compared in constant time.

Stored as ``scrypt$n$r$p$salt_b64$hash_b64`` so the cost can be raised later
without breaking old hashes: ``verify`` reads the parameters from the hash.
n=2**14, r=8, p=1 uses 16 MiB and about 60 ms on the development machine.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os

from laborstation.errors import ValidationError

N, R, P = 2**14, 8, 1
SALT_BYTES = 16
HASH_BYTES = 32
MIN_LENGTH = 6
_MAX_N = 2**20  # refuse absurd parameters read from a tampered row


def check_policy(password: str) -> None:
    """At least 6 characters, not all blank."""
    if len(password) < MIN_LENGTH or not password.strip():
        raise ValidationError(f"密码至少需要 {MIN_LENGTH} 个字符。", "password")


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _scrypt(password: str, salt: bytes, n: int, r: int, p: int, length: int) -> bytes:
    return hashlib.scrypt(
        password.encode("utf-8"), salt=salt, n=n, r=r, p=p, dklen=length,
        maxmem=128 * r * (n + p + 2) + 1024 * 1024,
    )


def hash_password(password: str, *, n: int = N, r: int = R, p: int = P) -> str:
    salt = os.urandom(SALT_BYTES)
    digest = _scrypt(password, salt, n, r, p, HASH_BYTES)
    return f"scrypt${n}${r}${p}${_b64(salt)}${_b64(digest)}"


def verify_password(password: str, stored: str) -> bool:
    """True when ``password`` matches ``stored``; a malformed or empty hash never matches."""
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        n, r, p = int(n), int(r), int(p)
        salt_bytes = base64.b64decode(salt, validate=True)
        expected = base64.b64decode(digest, validate=True)
    except (ValueError, TypeError):
        return False
    if scheme != "scrypt" or not (1 < n <= _MAX_N) or not expected or r < 1 or p < 1:
        return False
    actual = _scrypt(password, salt_bytes, n, r, p, len(expected))
    return hmac.compare_digest(actual, expected)


_DUMMY = None


def burn_time(password: str) -> None:
    """Spend one hash's time, so an unknown user name answers as slowly as a wrong password."""
    global _DUMMY
    if _DUMMY is None:
        _DUMMY = hash_password("not-a-password")
    verify_password(password, _DUMMY)
