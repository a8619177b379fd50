"""One file of `target/mesh-check-cache/`: a payload stamped with what it was derived by, and checksummed.

A cache may only ever save time. Reading one that is missing, truncated, corrupt, or stamped by other code
gives None (the caller computes afresh); writing one that cannot be written is skipped.
"""

from __future__ import annotations

import contextlib
import hashlib
import zlib
from pathlib import Path

from ..errors import MeshError
from ..files import write_atomically

CACHE_DIR = "mesh-check-cache"
MAGIC = b"mesh-check-cache 1\n"
DIGEST_SIZE = 16
CHECKSUM_SIZE = 4


def digest(*parts: bytes) -> bytes:
    """A 128-bit BLAKE2b digest of the parts (each length-prefixed, so no two sequences collide by joining)."""
    hasher = hashlib.blake2b(digest_size=DIGEST_SIZE)
    for part in parts:
        hasher.update(len(part).to_bytes(8, "little"))
        hasher.update(part)
    return hasher.digest()


def _checksum(payload) -> bytes:
    """CRC-32 of the payload: catches a damaged file (the stamp says whose it is)."""
    return zlib.crc32(payload).to_bytes(CHECKSUM_SIZE, "little")


def read_cache(path: Path, stamp: bytes) -> memoryview | None:
    """The payload written with this stamp, or None (no file, another stamp, or not intact)."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    header = len(MAGIC) + DIGEST_SIZE + CHECKSUM_SIZE
    if len(data) < header or not data.startswith(MAGIC):
        return None
    file_stamp, checksum = data[len(MAGIC):len(MAGIC) + DIGEST_SIZE], data[len(MAGIC) + DIGEST_SIZE:header]
    payload = memoryview(data)[header:]
    if file_stamp != digest(stamp) or checksum != _checksum(payload):
        return None
    return payload


def write_cache(path: Path, stamp: bytes, payload: bytes) -> None:
    """Replace the file whole (a concurrent reader sees the old or the new one); a failure leaves no trace."""
    with contextlib.suppress(MeshError):  # a cache that cannot be written only costs time
        write_atomically(path, MAGIC + digest(stamp) + _checksum(payload) + payload)
