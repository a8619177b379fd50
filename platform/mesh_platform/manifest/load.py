"""Reading manifests: a manifest.json file, dbt's in-memory manifest, or a dict (a fixture) into the structs."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import msgspec

from ..errors import MeshError
from .schema import Manifest

KEYED_SECTIONS = ("nodes", "sources", "groups", "exposures", "unit_tests")


def load_manifest(path: Path) -> Manifest:
    """Decode a manifest.json; a missing or malformed file is one clear MeshError."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise MeshError(f"no manifest at {path}; run `dbt parse` (or `mesh build`) first") from None
    except IsADirectoryError:
        raise MeshError(f"{path} is a folder; pass the manifest.json file inside it") from None
    except OSError as error:
        raise MeshError(f"cannot read {path}: {error.strerror or error}") from None
    try:
        with gc_paused():
            manifest = msgspec.json.decode(data, type=Manifest)
    except (msgspec.DecodeError, msgspec.ValidationError) as error:
        raise MeshError(f"{path} is not a dbt manifest ({error}); run `dbt parse` again") from None
    if manifest.metadata.project_name is None and not manifest.nodes:
        raise MeshError(f"{path} is not a dbt manifest (no project name, no nodes); run `dbt parse` again")
    return manifest


def as_manifest(manifest: Any) -> Manifest:
    """The structs of a manifest given as a dict (a fixture, or dbt's manifest written out as a dict), or of
    dbt's in-memory manifest; a Manifest is returned as it is. Each entry is keyed by its unique id, which
    it carries too."""
    if isinstance(manifest, Manifest):
        return manifest
    if not isinstance(manifest, dict):
        manifest = manifest.writable_manifest().to_dict()  # dbt's in-memory manifest

    def keyed(entries) -> dict:
        return {uid: {"unique_id": uid, **entry} for uid, entry in (entries or {}).items()}

    return msgspec.convert({**manifest, **{section: keyed(manifest.get(section)) for section in KEYED_SECTIONS}},
                           Manifest)


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector around work that makes many objects and no cycles (decoding JSON,
    say); restore its previous state."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
