"""A manifest file's facts, kept across runs and read back only for that very file.

The file is known by its path, device, inode, size, and modification and change times in nanoseconds; any
write sets the change time, so a rewritten manifest is another file. Facts are stored only from a manifest
that had been still for SETTLE_NS before it was read, so that a second write within one tick of the file
system's clock cannot go unseen (git's "racily clean" rule). The stamp also covers the code that decodes and
extracts, so a changed platform starts afresh.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable
from pathlib import Path

import msgspec

from .. import manifest
from ..manifest import domains, gc_paused, load, load_manifest, mesh, nodes, schema
from ..manifest.lineage import Schema
from . import facts, relation_cache, sql_relations
from .cache_file import CACHE_DIR, digest, read_cache, write_cache
from .context import CheckContext
from .facts import ManifestFacts, extract

FILE = "facts.msgpack"
SETTLE_NS = 2_000_000_000
CODE = (facts, manifest, domains, load, mesh, nodes, schema, relation_cache, sql_relations)  # what derives the facts


def read_context(path: Path, root: Path | None, warehouse: Callable[[], Schema | None] | None = None) -> CheckContext:
    """The check's context of the manifest at `path`, with its cache in `mesh-check-cache/` beside it."""
    cache_dir = path.parent / CACHE_DIR
    return CheckContext(None, root, cache_dir, facts=read_facts(path, cache_dir), warehouse=warehouse)


@gc_paused()  # decoding and extracting make a million objects and no cycles: no need to rescan them
def read_facts(path: Path, cache_dir: Path) -> ManifestFacts:
    """The manifest's facts: from `cache_dir` if stored there for this very file, else extracted (and stored)."""
    try:
        before = path.stat()
    except OSError:
        before = None  # reading it says why
    cached = cached_facts(path, cache_dir, before) if before else None
    if cached is not None:
        return cached
    started = time.time_ns()
    extracted = extract(load_manifest(path))
    if before and _settled(path, before, started):
        # a meta value msgpack cannot hold: read it afresh each time
        with contextlib.suppress(msgspec.EncodeError, OverflowError):
            write_cache(cache_dir / FILE, file_stamp(path, before), msgspec.msgpack.encode(extracted))
    return extracted


def cached_facts(path: Path, cache_dir: Path, stat=None) -> ManifestFacts | None:
    """The facts stored in `cache_dir` for the manifest file as it is now (`stat`), or None."""
    payload = read_cache(cache_dir / FILE, file_stamp(path, stat or path.stat()))
    if payload is None:
        return None
    try:
        return msgspec.msgpack.decode(payload, type=ManifestFacts)
    except msgspec.DecodeError:
        return None


def file_stamp(path: Path, stat) -> bytes:
    """What the facts of this manifest file depend on: the file itself and the code deriving them."""
    identity = f"{path.resolve()}|{_identity(stat)}|msgspec {msgspec.__version__}"
    return digest(identity.encode(), *(Path(str(module.__file__)).read_bytes() for module in CODE))


def _identity(stat) -> tuple[int, ...]:
    return stat.st_dev, stat.st_ino, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns


def _settled(path: Path, before, started: int) -> bool:
    """True when the file read is the one stat'ed before, already still for SETTLE_NS when reading began."""
    try:
        after = path.stat()
    except OSError:
        return False
    return _identity(after) == _identity(before) and started - max(before.st_mtime_ns, before.st_ctime_ns) > SETTLE_NS
