"""Reading manifest.json fast: decode only the fields the platform reads, into typed structs.

A 10,000-model manifest is ~150 MB of JSON; as Python dicts it takes seconds and over a gigabyte. msgspec
decodes just these fields in a fraction of that, with the garbage collector paused (JSON holds no reference
cycles; rescanning a million new objects again and again tripled the time) and the structs untracked by it.
The structs answer `.get(key)` and `[key]` like the dicts dbt's in-memory manifest gives, so rules and
reports work on either.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import msgspec

from .errors import MeshError


class _Mapping:
    """Read struct fields the way dict keys are read."""

    __slots__ = ()

    def get(self, key: str, default: Any = None) -> Any:
        return getattr(self, key, default)

    def __getitem__(self, key: str) -> Any:
        try:
            return getattr(self, key)
        except AttributeError:
            raise KeyError(key) from None


class _Struct(msgspec.Struct, _Mapping, frozen=True, gc=False):
    pass


class Constraint(_Struct):
    type: str | None = None
    columns: list[str] | None = None
    expression: Any = None


class MetaConfig(_Struct):
    meta: dict[str, Any] = {}


class Column(_Struct):
    name: str
    data_type: str | None = None
    description: str | None = ""
    constraints: list[Constraint] = []
    meta: dict[str, Any] = {}
    config: MetaConfig = MetaConfig()


class Contract(_Struct):
    enforced: bool = False


class NodeConfig(_Struct):
    group: str | None = None
    access: str | None = None
    meta: dict[str, Any] = {}
    contract: Contract = Contract()


class DependsOn(_Struct):
    nodes: list[str] = []


class TestMetadata(_Struct):
    name: str | None = None
    kwargs: dict[str, Any] = {}


class Node(_Struct):
    """A model, test, seed, snapshot, analysis or source: the fields the platform reads."""

    unique_id: str
    resource_type: str
    name: str
    original_file_path: str = ""
    version: Any = None
    latest_version: Any = None
    group: str | None = None
    access: str | None = None
    description: str | None = ""
    columns: dict[str, Column] = {}
    config: NodeConfig = NodeConfig()
    depends_on: DependsOn = DependsOn()
    attached_node: str | None = None
    test_metadata: TestMetadata | None = None
    relation_name: str | None = None
    raw_code: str | None = ""
    compiled_code: str | None = None
    constraints: list[Constraint] = []
    meta: dict[str, Any] = {}
    source_name: str | None = None


class Owner(_Struct):
    name: str | None = None
    email: str | list[str] | None = None
    team_handle: str | None = None


class Group(_Struct):
    name: str
    unique_id: str
    owner: Owner = Owner()
    description: str | None = None
    original_file_path: str = ""
    config: MetaConfig = MetaConfig()


class Metadata(_Struct):
    adapter_type: str | None = None
    project_name: str | None = None


class Manifest(_Struct):
    metadata: Metadata = Metadata()
    nodes: dict[str, Node] = {}
    sources: dict[str, Node] = {}
    groups: dict[str, Group] = {}


def as_manifest(manifest) -> Manifest:
    """A manifest as load_manifest gives it, also from dicts (a fixture, or dbt's manifest as a dict): each
    node, source and group keyed by its unique id, which it carries too."""
    if isinstance(manifest, Manifest):
        return manifest

    def keyed(entries) -> dict:
        return {uid: {"unique_id": uid, **entry} for uid, entry in (entries or {}).items()}

    return msgspec.convert({**manifest, "nodes": keyed(manifest.get("nodes")), "sources": keyed(
        manifest.get("sources")), "groups": keyed(manifest.get("groups"))}, Manifest)


def load_manifest(path: Path, kind: type[Manifest] = Manifest) -> Manifest:
    """Decode a manifest.json (into `kind`, a Manifest with more fields); a missing or malformed file is one
    clear MeshError."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise MeshError(f"no manifest at {path}; run `dbt parse` (or `mesh build`) first") from None
    except IsADirectoryError:
        raise MeshError(f"{path} is a folder; pass the manifest.json file inside it") from None
    try:
        with gc_paused():
            return msgspec.json.decode(data, type=kind)
    except msgspec.DecodeError as error:
        raise MeshError(f"{path} is not a dbt manifest ({error}); run `dbt parse` again") from None


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
