"""Reading a manifest.json for the catalog: the fields `manifest_file` decodes, plus those a catalog shows.

The structs extend `manifest_file`'s (so the rules run on them too) with exposures, deprecation dates, the
relation's schema and alias and a test's column; msgspec decodes a 5,000-model manifest in about a second.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..manifest_file import Column, DependsOn, Manifest, Node, NodeConfig, _Struct, load_manifest


class CatalogNodeConfig(NodeConfig, frozen=True):
    materialized: str | None = None
    tags: list[str] = []


class CatalogColumn(Column, frozen=True):
    tags: list[str] = []


class CatalogNode(Node, frozen=True):
    config: CatalogNodeConfig = CatalogNodeConfig()
    columns: dict[str, CatalogColumn] = {}
    deprecation_date: str | None = None
    column_name: str | None = None
    schema: str | None = None
    alias: str | None = None
    identifier: str | None = None
    tags: list[str] = []


class ExposureOwner(_Struct, frozen=True):
    name: str | None = None
    email: str | None = None


class ExposureConfig(_Struct, frozen=True):
    meta: dict[str, Any] = {}


class Exposure(_Struct, frozen=True):
    unique_id: str
    name: str
    resource_type: str = "exposure"
    type: str | None = None
    label: str | None = None
    maturity: str | None = None
    url: str | None = None
    description: str | None = ""
    original_file_path: str = ""
    owner: ExposureOwner = ExposureOwner()
    depends_on: DependsOn = DependsOn()
    meta: dict[str, Any] = {}
    config: ExposureConfig = ExposureConfig()


class CatalogManifest(Manifest, frozen=True):
    nodes: dict[str, CatalogNode] = {}
    sources: dict[str, CatalogNode] = {}
    exposures: dict[str, Exposure] = {}


def load_catalog_manifest(path: Path) -> CatalogManifest:
    """Decode a manifest.json with the catalog's fields; a missing or malformed file is one clear MeshError."""
    return load_manifest(path, CatalogManifest)
