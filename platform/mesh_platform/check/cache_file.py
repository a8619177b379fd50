"""One file of `target/mesh-check-cache/`: a payload stamped with what it was derived by, and sealed.

A cache may only ever save time. Reading one that is missing, truncated, corrupt, stamped by other code, or
whose seal does not verify gives None (the caller computes afresh); writing one that cannot be written is
skipped. The seal is an HMAC under this user's key (cache_key), so whoever can write the folder cannot make
the check trust facts of their making: an entry rewritten by anyone else is recomputed.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
from pathlib import Path

from ..errors import MeshError
from ..files import write_atomically
from .cache_key import cache_key

CACHE_DIR = "mesh-check-cache"
MAGIC = b"mesh-check-cache 2\n"
DIGEST_SIZE = 16
SEAL_SIZE = 32


def digest(*parts: bytes) -> bytes:
    """A 128-bit BLAKE2b digest of the parts (each length-prefixed, so no two sequences collide by joining)."""
    hasher = hashlib.blake2b(digest_size=DIGEST_SIZE)
    for part in parts:
        hasher.update(len(part).to_bytes(8, "little"))
        hasher.update(part)
    return hasher.digest()


def _seal(key: bytes, file_stamp: bytes, payload) -> bytes:
    """HMAC-SHA256 of the stamp and payload under the user's key: catches a damaged file and a forged one."""
    mac = hmac.new(key, MAGIC + file_stamp, hashlib.sha256)
    mac.update(payload)
    return mac.digest()


def read_cache(path: Path, stamp: bytes) -> memoryview | None:
    """The payload written with this stamp by this user, or None (no file, another stamp, not intact, or not
    sealed with this user's key)."""
    key = cache_key()
    if key is None:
        return None
    try:
        data = path.read_bytes()
    except OSError:
        return None
    header = len(MAGIC) + DIGEST_SIZE + SEAL_SIZE
    if len(data) < header or not data.startswith(MAGIC):
        return None
    file_stamp, seal = data[len(MAGIC):len(MAGIC) + DIGEST_SIZE], data[len(MAGIC) + DIGEST_SIZE:header]
    payload = memoryview(data)[header:]
    if file_stamp != digest(stamp) or not hmac.compare_digest(seal, _seal(key, file_stamp, payload)):
        return None
    return payload


def write_cache(path: Path, stamp: bytes, payload: bytes) -> None:
    """Replace the file whole (a concurrent reader sees the old or the new one); a failure leaves no trace."""
    key = cache_key()
    if key is None:
        return  # no key to seal it with: it could not be trusted when read back
    file_stamp = digest(stamp)
    with contextlib.suppress(MeshError):  # a cache that cannot be written only costs time
        write_atomically(path, MAGIC + file_stamp + _seal(key, file_stamp, payload) + payload)
