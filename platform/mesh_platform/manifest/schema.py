"""The manifest as the platform reads it: typed msgspec structs of the fields it uses, nothing else.

A 10,000-model manifest is ~150 MB of JSON; as Python dicts it takes seconds and over a gigabyte. msgspec
decodes just these fields in a fraction of that, into structs the garbage collector does not track. The
structs also answer `.get(key)` and `[key]`, so a caller may read them as the dicts dbt's manifest gives.
"""

from __future__ import annotations

from typing import Any

import msgspec


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


class Struct(msgspec.Struct, _Mapping, frozen=True, gc=False):
    """A manifest entry: immutable, untracked by the garbage collector (JSON holds no cycles)."""


class Constraint(Struct, frozen=True):
    type: str | None = None
    columns: list[str] | None = None
    expression: Any = None


class MetaConfig(Struct, frozen=True):
    meta: dict[str, Any] = {}


class Column(Struct, frozen=True):
    name: str
    data_type: str | None = None
    description: str | None = ""
    constraints: list[Constraint] = []
    meta: dict[str, Any] = {}
    config: MetaConfig = MetaConfig()
    tags: list[str] = []


class Contract(Struct, frozen=True):
    enforced: bool = False


class NodeConfig(Struct, frozen=True):
    group: str | None = None
    access: str | None = None
    meta: dict[str, Any] = {}
    contract: Contract = Contract()
    materialized: str | None = None
    tags: list[str] = []
    where: str | None = None  # a data test's filter
    severity: str | None = None
    enabled: bool = True
    grants: dict[str, Any] = {}  # dbt's grants: {privilege: [grantee, ...]}


class DependsOn(Struct, frozen=True):
    nodes: list[str] = []
    macros: list[str] = []


class TestMetadata(Struct, frozen=True):
    name: str | None = None
    kwargs: dict[str, Any] = {}
    namespace: str | None = None


class Node(Struct, frozen=True):
    """A model, test, seed, snapshot, analysis, source or unit test: the fields the platform reads."""

    unique_id: str
    resource_type: str
    name: str
    package_name: str | None = None
    original_file_path: str = ""
    patch_path: str | None = None
    fqn: list[str] = []
    version: Any = None
    latest_version: Any = None
    deprecation_date: str | None = None
    group: str | None = None
    access: str | None = None
    description: str | None = ""
    columns: dict[str, Column] = {}
    config: NodeConfig = NodeConfig()
    depends_on: DependsOn = DependsOn()
    attached_node: str | None = None
    test_metadata: TestMetadata | None = None
    column_name: str | None = None
    relation_name: str | None = None
    database: str | None = None
    schema: str | None = None
    alias: str | None = None
    identifier: str | None = None
    raw_code: str | None = ""
    compiled_code: str | None = None
    constraints: list[Constraint] = []
    meta: dict[str, Any] = {}
    tags: list[str] = []
    source_name: str | None = None
    model: str | None = None  # a unit test's model (its name)
    loaded_at_field: str | None = None
    freshness: dict[str, Any] | None = None


class Owner(Struct, frozen=True):
    name: str | None = None
    email: str | list[str] | None = None
    team_handle: str | None = None


class Group(Struct, frozen=True):
    name: str
    unique_id: str
    owner: Owner = Owner()
    description: str | None = None
    original_file_path: str = ""
    package_name: str | None = None
    config: MetaConfig = MetaConfig()


class Exposure(Struct, frozen=True):
    unique_id: str
    name: str
    resource_type: str = "exposure"
    package_name: str | None = None
    type: str | None = None
    label: str | None = None
    maturity: str | None = None
    url: str | None = None
    description: str | None = ""
    original_file_path: str = ""
    owner: Owner = Owner()
    depends_on: DependsOn = DependsOn()
    meta: dict[str, Any] = {}
    config: MetaConfig = MetaConfig()


class Metadata(Struct, frozen=True):
    adapter_type: str | None = None
    project_name: str | None = None
    dbt_version: str | None = None
    generated_at: str | None = None


class Manifest(Struct, frozen=True):
    metadata: Metadata = Metadata()
    nodes: dict[str, Node] = {}
    sources: dict[str, Node] = {}
    groups: dict[str, Group] = {}
    exposures: dict[str, Exposure] = {}
    unit_tests: dict[str, Node] = {}
