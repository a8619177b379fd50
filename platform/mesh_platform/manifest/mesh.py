"""The mesh: one or several dbt projects' manifests, indexed once, as every feature asks about them.

Which domain owns a node, which models are products (and their latest versions), a node's parents,
children and tests, its layer and relation, and which project it comes from. A graduated domain is a dbt
project of its own; its manifest joins the others here, and a node another project's manifest only mirrors
(a cross-project ref) is kept as its own project describes it.
"""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Callable, Iterable, Mapping
from functools import cached_property
from typing import Any

from ..errors import MeshError
from . import nodes as read
from .domains import Domain, Placement, domain_from_group, domain_from_path, placement
from .load import as_manifest
from .schema import Exposure, Group, Manifest, Node

CONSUMER_KINDS = ("model", "test", "analysis", "snapshot")  # nodes whose dependencies the access rules govern


class Mesh:
    """Read-only index over the manifests of the mesh's projects."""

    def __init__(self, manifests: Manifest | Mapping[str, Any] | Iterable[Any]):
        """`manifests`: one manifest (struct, dict or dbt's in-memory manifest), or several (a list, or a
        mapping of project name -> manifest)."""
        self.manifests: dict[str, Manifest] = _by_project(manifests)
        self.nodes: dict[str, Node] = {}
        self.sources: dict[str, Node] = {}
        self.exposures: dict[str, Exposure] = {}
        self.unit_tests: dict[str, Node] = {}
        self.groups: dict[str, Group] = {}
        self.project_of: dict[str, str] = {}
        for project, manifest in self.manifests.items():
            for section in ("nodes", "sources", "exposures", "unit_tests", "groups"):
                mine, theirs = getattr(self, section), getattr(manifest, section)
                for uid, entry in theirs.items():
                    owner = entry.package_name or project
                    if uid not in mine or owner == project:  # a mirrored node yields to its own project's
                        mine[uid] = entry
                        self.project_of[uid] = owner
        for section in ("nodes", "sources", "exposures", "unit_tests", "groups"):  # mirrors their project dropped
            mine = getattr(self, section)
            for uid in [uid for uid in mine if self.project_of[uid] in self.manifests
                        and uid not in getattr(self.manifests[self.project_of[uid]], section)]:
                del mine[uid]
        self.domains: dict[str, Domain] = dict(sorted(
            (group.name, domain_from_group(group)) for group in self.groups.values()))

    @property
    def manifest(self) -> Manifest:
        """The one manifest of a single-project mesh."""
        if len(self.manifests) != 1:
            raise ValueError("a mesh of several projects has no single manifest")
        return next(iter(self.manifests.values()))

    @property
    def dialect(self) -> str:
        return next((m.metadata.adapter_type for m in self.manifests.values() if m.metadata.adapter_type), "duckdb")

    @property
    def project_name(self) -> str | None:
        return next((m.metadata.project_name for m in self.manifests.values() if m.metadata.project_name), None)

    def manifest_of(self, uid: str) -> Manifest:
        """The manifest of the project a node comes from (the first one for a node of none of them)."""
        return self.manifests.get(self.project_of.get(uid, ""), next(iter(self.manifests.values())))

    # -- what a node is ------------------------------------------------------------------------------------

    def node(self, uid: str) -> Any:
        """Any entry by unique id (node, source, exposure, unit test), None when there is none."""
        return self.nodes.get(uid) or self.sources.get(uid) or self.exposures.get(uid) or self.unit_tests.get(uid)

    def label(self, uid: str) -> str:
        entry = self.node(uid)
        return read.label(entry) if entry is not None else uid

    def is_product(self, uid: str) -> bool:
        node = self.nodes.get(uid)
        return node is not None and node.resource_type == "model" and read.access(node) == "public"

    def is_package_node(self, uid: str) -> bool:
        """A node of an installed dbt package (dbt_utils, an evaluator, ...), not of one of the mesh's projects."""
        return uid in self.project_of and self.project_of[uid] not in self.manifests

    def package_of(self, uid: str) -> str | None:
        """The installed package a node comes from, None for the mesh's own nodes."""
        return self.project_of[uid] if self.is_package_node(uid) else None

    def placement(self, uid: str) -> Placement:
        entry = self.node(uid)
        return placement(entry.original_file_path if entry is not None else "")

    def layer(self, uid: str) -> str | None:
        """staging, intermediate or marts, from the model's folder (models/<domain>/<layer>/...)."""
        return self.placement(uid).layer

    def relation(self, uid: str) -> str | None:
        entry = self.node(uid)
        return read.relation(entry) if entry is not None else None

    # -- who owns it ---------------------------------------------------------------------------------------

    @cached_property
    def _domains_of(self) -> dict[str, str | None]:
        found: dict[str, str | None] = {}
        for uid in (*self.nodes, *self.sources):
            found[uid] = self._own_domain(uid)
        for uid in self.nodes:  # data tests: the domain of what they test
            if found[uid] is None:
                found[uid] = self._tested_domain(uid, found)
        for uid in self.unit_tests:  # unit tests: the domain of the model they test, wherever their YAML is
            found[uid] = self._tested_domain(uid, found) or self._own_domain(uid)
        for uid, exposure in self.exposures.items():
            found[uid] = self._exposure_domain(exposure)
        return found

    def domain_of(self, uid: str) -> str | None:
        """The domain owning a node: its group; for a test, the domain of what it tests (a unit test: always);
        else its folder."""
        return self._domains_of.get(uid)

    def _own_domain(self, uid: str) -> str | None:
        entry = self.node(uid)
        group = entry.get("group") or (entry.get("config") or {}).get("group")
        if group:
            return group
        if self.is_package_node(uid):  # its path is inside the package: a `models/<name>/` there is not a domain's
            return None
        return domain_from_path(entry.original_file_path, self.domains)

    def _tested_domain(self, uid: str, found: dict[str, str | None]) -> str | None:
        entry = self.node(uid)
        if entry.resource_type not in ("test", "unit_test"):
            return None
        if entry.attached_node:
            return found.get(entry.attached_node)
        tested = {found.get(parent) for parent in read.parents(entry) if parent.startswith("model.")}
        return tested.pop() if len(tested) == 1 else None

    def _exposure_domain(self, exposure: Exposure) -> str | None:
        """The domain folder its YAML lives in, else the domain its owner's name owns."""
        found = domain_from_path(exposure.original_file_path, self.domains)
        if found:
            return found
        owner = exposure.owner.name
        return next((name for name, domain in self.domains.items() if owner and domain.owner_name == owner), None)

    def require_domain(self, name: str) -> Domain:
        if name not in self.domains:
            known = ", ".join(self.domains) or "none"
            raise MeshError(f"unknown domain '{name}'; the domains are: {known}")
        return self.domains[name]

    def owner(self, domain: str | None) -> Domain | None:
        return self.domains.get(domain or "")

    # -- models and products -------------------------------------------------------------------------------

    def models(self, domain: str | None = None) -> list[Node]:
        """Every model (each version), of one domain or all, by domain, name and version."""
        found = [node for node in self.nodes.values() if node.resource_type == "model"
                 and (domain is None or self.domain_of(node.unique_id) == domain)]
        return sorted(found, key=lambda n: (self.domain_of(n.unique_id) or "", n.name, read.version_text(n) or ""))

    def products(self, domain: str | None = None) -> list[Node]:
        """Public models, the domains' data products (every version)."""
        return [node for node in self.models(domain) if read.access(node) == "public"]

    def latest_products(self, domain: str | None = None) -> dict[str, Node]:
        """Each data product by name, at its latest version, sorted by name."""
        found = {node.name: node for node in self.products(domain) if read.is_latest(node)}
        return dict(sorted(found.items()))

    # -- the graph -----------------------------------------------------------------------------------------

    def parents(self, uid: str) -> list[str]:
        entry = self.node(uid)
        return read.parents(entry) if entry is not None else []

    @cached_property
    def _children(self) -> dict[str, list[str]]:
        children: dict[str, list[str]] = defaultdict(list)
        for section in (self.nodes, self.exposures, self.unit_tests):
            for uid, entry in section.items():
                for parent in read.parents(entry):
                    children[parent].append(uid)
        return {parent: sorted(found) for parent, found in children.items()}  # as dbt's child_map

    def children(self, uid: str) -> list[str]:
        """The nodes, exposures and unit tests that depend on `uid`."""
        return self._children.get(uid, [])

    def descendants(self, uid: str) -> set[str]:
        """Everything downstream of a node (what dbt skips when it fails)."""
        seen: set[str] = set()
        queue = deque(self.children(uid))
        while queue:
            child = queue.popleft()
            if child not in seen and child != uid:
                seen.add(child)
                queue.extend(self.children(child))
        return seen

    @cached_property
    def _tests(self) -> dict[str, list[Node]]:
        tests: dict[str, list[Node]] = defaultdict(list)
        for node in self.nodes.values():
            if node.resource_type == "test":
                for target in (node.attached_node,) if node.attached_node else read.parents(node):
                    tests[target].append(node)
        return tests

    def tests_of(self, uid: str) -> list[Node]:
        """The data tests of a node: generic ones attached to it, singular ones reading it."""
        return self._tests.get(uid, [])

    def consumers(self) -> Iterable[tuple[str, str | None, list[str]]]:
        """(unique id, domain, parents) of every node dbt runs that reads others (see dependents_on)."""
        return ((uid, self.domain_of(uid), read.parents(node)) for uid, node in self.nodes.items()
                if node.resource_type in CONSUMER_KINDS)

    def dependents_on(self, domain: str) -> dict[str, tuple[str, ...]]:
        """The nodes of other domains (or of none) that depend on the domain's models: {node: its parents
        there}, the package's own nodes left out, exactly as `mesh check` (LEG001) counts them."""
        return dependents_on(domain, ((uid, domain_of, parents) for uid, domain_of, parents in self.consumers()
                                      if not self.is_package_node(uid)), self.domain_of)

    def unit_tests_of(self, uid: str) -> list[Node]:
        return [test for test in self.unit_tests.values() if uid in read.parents(test)]


def dependents_on(domain: str, consumers: Iterable[tuple[str, str | None, Iterable[str]]],
                  domain_of: Callable[[str], str | None]) -> dict[str, tuple[str, ...]]:
    """The dependencies on a domain's models from outside it: {consumer: its parents there}, for consumers
    given as (unique id, domain, parents) (models, tests, analyses, snapshots: whatever dbt runs). The one
    definition `mesh check` (LEG001) and `mesh legacy status` both count."""
    found = {}
    for uid, consumer_domain, parents in consumers:
        if consumer_domain == domain:
            continue
        used = tuple(sorted(parent for parent in parents
                            if parent.startswith("model.") and domain_of(parent) == domain))
        if used:
            found[uid] = used
    return found


def _by_project(manifests: Any) -> dict[str, Manifest]:
    if isinstance(manifests, Mapping) and not _is_manifest_dict(manifests):
        return {str(name): as_manifest(manifest) for name, manifest in manifests.items()}
    if isinstance(manifests, (list, tuple)):
        typed = [as_manifest(manifest) for manifest in manifests]
    else:
        typed = [as_manifest(manifests)]
    return {(manifest.metadata.project_name or f"project{index}"): manifest for index, manifest in enumerate(typed)}


def _is_manifest_dict(value: Mapping) -> bool:
    return any(key in value for key in ("nodes", "sources", "groups", "metadata", "exposures"))
