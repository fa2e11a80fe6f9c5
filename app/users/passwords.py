"""Password hashes with scrypt (memory-hard), stored with their parameters and salt."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from functools import lru_cache

# 16 MiB and ~50 ms per hash on an office PC: slow for a guesser, unnoticed at sign-in.
SCRYPT_N = 2**14
SCRYPT_R = 8
SCRYPT_P = 1
SALT_BYTES = 16
KEY_BYTES = 32
MAXMEM = 64 * 1024 * 1024


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _kdf(password: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(
        password.encode("utf-8"), salt=salt, n=n, r=r, p=p, maxmem=MAXMEM, dklen=KEY_BYTES
    )


def hash_password(password: str, *, salt: bytes | None = None) -> str:
    """`scrypt$n$r$p$salt$key`, salt and key in base64."""
    salt = salt if salt is not None else secrets.token_bytes(SALT_BYTES)
    key = _kdf(password, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P)
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${_b64(salt)}${_b64(key)}"


def verify_password(password: str, stored: str) -> bool:
    """True when the password matches the stored hash; False for any malformed hash."""
    try:
        scheme, n, r, p, salt, key = stored.split("$")
        if scheme != "scrypt":
            return False
        expected = base64.b64decode(key)
        actual = _kdf(password, base64.b64decode(salt), int(n), int(r), int(p))
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(expected, actual)


@lru_cache(maxsize=1)
def dummy_hash() -> str:
    """Verified when the user name is unknown, so an unknown name takes as long as a wrong
    password (made on first use: an scrypt hash costs ~50 ms, too much for start-up)."""
    return hash_password("louyuan", salt=b"\0" * SALT_BYTES)
