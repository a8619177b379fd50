"""What a handover takes along, and what stands in its way.

From the models asked for, the upstream models of their domain that only moving nodes use (their own tests
aside) are taken along with `--with-upstream`; those shared with models that stay are moved too and made
public with `--shared move`, or kept where they are and made data products with `--shared publish`
(publish.py). The raw tables the moving models read follow sources.py: a table that models staying behind
read too is a blocker, or with `--shared move` those readers are taken along and made public.
Then every dependency the move touches (of models and of their tests, generic
and singular) is judged with the domains and the access each end will have (the destination folder's, see
access.py): one of another domain must be public, and no new dependency on legacy may appear. Every breach
is a blocker, all of them listed in one refusal.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from ..manifest import CONSUMER_KINDS, Mesh, legacy_domain_name
from ..manifest.domains import domain_from_path
from ..manifest.nodes import parents
from .agreements import Agreed
from .sources import SourceSplit, source_splits


@dataclass
class Scope:
    asked: set[str]  # unique ids of the models asked for (every version)
    upstream: set[str] = field(default_factory=set)  # taken along: only moving nodes use them
    shared: set[str] = field(default_factory=set)  # taken along and made public (--shared move)
    published: set[str] = field(default_factory=set)  # shared upstream kept and made products (--shared publish)
    left_shared: set[str] = field(default_factory=set)  # upstream also used by models that stay
    would_take: set[str] = field(default_factory=set)  # what --with-upstream would take along
    singular_tests: set[str] = field(default_factory=set)  # singular tests moving with what they read
    sources: list[SourceSplit] = field(default_factory=list)  # the source entries whose tables move
    blockers: list[str] = field(default_factory=list)

    @property
    def models(self) -> set[str]:
        return self.asked | self.upstream | self.shared


def scope(mesh: Mesh, asked: set[str], to: str, with_upstream: bool, shared: str | None,
          access_after: Callable[[str, set[str], set[str]], str], agreed: Agreed) -> Scope:
    """The models that move and the blockers; `access_after(uid, moving, made_public)` is a model's access
    after the move, `agreed` says which reads across domains the access agreements allow."""
    found = _grown(mesh, asked, to, with_upstream, shared)
    if not with_upstream:  # what --with-upstream would take, for the blockers' hints
        found.would_take = _grown(mesh, asked, to, True, shared).upstream
    found.singular_tests = {uid for uid in _tests_following(mesh, found.models)
                            if not mesh.nodes[uid].attached_node
                            and mesh.placement(uid).folder in {mesh.domain_of(uid) for uid in asked}}
    found.blockers = _blockers(mesh, found, to,
                               lambda uid: access_after(uid, found.models, found.shared | found.published), agreed) \
        + _table_blockers(mesh, found)
    return found


def _grown(mesh: Mesh, asked: set[str], to: str, with_upstream: bool, shared: str | None) -> Scope:
    found = Scope(set(asked))
    from_domains = {mesh.domain_of(uid) for uid in asked}
    while True:
        _take_upstream(mesh, found, from_domains, to, with_upstream)
        if shared == "publish":
            found.published = found.left_shared
        found.sources = source_splits(mesh, found.models | _tests_following(mesh, found.models), to)
        sharing = {uid for split in found.sources for readers in split.shared.values() for uid in readers.staying
                   if uid.startswith("model.") and mesh.domain_of(uid) in from_domains}
        if shared != "move" or not found.left_shared | sharing:
            return found
        found.shared |= found.left_shared | _versions(mesh, sharing)
        found.left_shared = set()


def _take_upstream(mesh: Mesh, found: Scope, from_domains: set, to: str, with_upstream: bool) -> None:
    """Grow found.upstream to the fixpoint; found.left_shared: the upstream that models staying still use."""
    while True:
        moving = found.models
        candidates = {parent for uid in moving | _tests_following(mesh, moving) for parent in parents(mesh.nodes[uid])
                      if parent.startswith("model.") and parent not in moving
                      and mesh.domain_of(parent) in from_domains and mesh.domain_of(parent) != to}
        exclusive = {uid for uid in candidates if _only_used_by(mesh, uid, moving | {uid})}
        if not with_upstream or not exclusive:
            found.left_shared = candidates - exclusive
            return
        found.upstream |= _versions(mesh, exclusive)


def _versions(mesh: Mesh, uids: set[str]) -> set[str]:
    names = {mesh.nodes[uid].name for uid in uids}
    return {model.unique_id for model in mesh.models() if model.name in names}


def _only_used_by(mesh: Mesh, uid: str, moving: set[str]) -> bool:
    """Every node that reads `uid` moves: a model or snapshot in `moving`, a test of what moves."""
    following = _tests_following(mesh, moving)
    return all(child in moving or child in following for child in mesh.children(uid)
               if child in mesh.nodes and mesh.nodes[child].resource_type in CONSUMER_KINDS)


def _tests_following(mesh: Mesh, moving: set[str]) -> set[str]:
    """The tests that go where the moving models go: generic ones attached to them, singular ones that read
    nothing else."""
    found = set()
    for uid in moving:
        for child in mesh.children(uid):
            node = mesh.nodes.get(child)
            if node is None or node.resource_type != "test":
                continue
            if node.attached_node in moving or (not node.attached_node and all(
                    parent in moving for parent in parents(node) if parent.startswith("model."))):
                found.add(child)
    return found


def _blockers(mesh: Mesh, found: Scope, to: str, access_after: Callable[[str], str], agreed: Agreed) -> list[str]:
    moving = found.models
    following = _tests_following(mesh, moving)
    legacy = legacy_domain_name(mesh.domains)

    def domain_after(uid: str) -> str | None:
        node = mesh.nodes.get(uid)
        if uid in moving or uid in following:
            return to
        if node is not None and node.resource_type == "test" and not node.attached_node \
                and not (node.get("group") or node.config.get("group")) \
                and domain_from_path(node.original_file_path, mesh.domains) is None:
            tested = {domain_after(p) for p in parents(node) if p.startswith("model.")}
            return tested.pop() if len(tested) == 1 else None
        return mesh.domain_of(uid)

    touched = moving | following | {child for uid in moving for child in mesh.children(uid)}
    blockers = []
    for uid in sorted(touched):
        node = mesh.nodes.get(uid)
        if node is None or node.resource_type not in CONSUMER_KINDS:
            continue
        for parent in parents(node):
            if not parent.startswith("model.") or (uid not in moving | following and parent not in moving):
                continue
            if parent in found.published:  # a product after the move, read under the agreement the plan files
                continue
            reader, used = domain_after(uid), domain_after(parent)
            if reader == used:
                continue
            reason = _breach(mesh, uid, parent, reader, used, access_after(parent), legacy, agreed)
            if reason:
                blockers.append(reason + _hint(mesh, found, uid, parent, to, reason))
    return list(dict.fromkeys(blockers))


def _table_blockers(mesh: Mesh, found: Scope) -> list[str]:
    """A raw table that moving models and models staying behind both read: it can be in one domain only."""
    blockers = []
    for split in found.sources:
        for table, readers in split.shared.items():
            ours, others = (", ".join(mesh.nodes[uid].name for uid in side)
                            for side in (readers.moving, readers.staying))
            lift = " (--shared move)" if all(uid.startswith("model.") for uid in readers.staying) else ""
            blockers.append(f"source table {split.name}.{table} ({split.path}) is read by {ours}, which moves, "
                            f"and by {others}, which stays: hand {others} over too{lift}")
    return blockers


def _breach(mesh: Mesh, uid: str, parent: str, reader: str | None, used: str | None, parent_access: str,
            legacy: str | None, agreed: Agreed) -> str | None:
    """Why a dependency would break after the move (None: it would not)."""
    kind = "test " if mesh.nodes[uid].resource_type == "test" else ""
    name, parent_name = mesh.nodes[uid].name, mesh.nodes[parent].name
    new_on_legacy = used == legacy and reader != legacy and not (
        mesh.domain_of(uid) != legacy and mesh.domain_of(parent) == legacy)
    if parent_access != "public":
        if mesh.domain_of(parent) == used:  # the parent stays where it is
            return f"{kind}{name} would use {parent_name} of domain {used}, which is {parent_access}"
        return f"{kind}{name} ({reader}) uses {parent_name}, which would be {parent_access} in {used}"
    if new_on_legacy:
        return f"{kind}{name} would depend on {legacy} model {parent_name} (LEG001)"
    producer = mesh.domain_of(parent)  # its agreements move with it
    if reader is not None and producer is not None and not agreed(producer, reader, parent_name):
        return f"{kind}{name} ({reader}) would read {parent_name} of {used} without an access agreement (ACC004)"
    return None


def _hint(mesh: Mesh, found: Scope, uid: str, parent: str, to: str, reason: str) -> str:
    parent_name = mesh.nodes[parent].name
    if parent in found.models:  # a moved model a staying node reads (a test: the model it tests)
        reader = mesh.nodes.get(mesh.nodes[uid].attached_node or uid) or mesh.nodes[uid]
        return f": hand {reader.name} over too" + ("" if "ACC004" in reason else ", or use --access public")
    if "ACC004" in reason:
        return f": mesh access request {parent_name} --for {to} --purpose \"<why {to} reads it>\", approved first"
    if parent in found.would_take or parent in found.upstream:
        return f": hand {parent_name} over too (--with-upstream)"
    return (f": hand {parent_name} over too and make it public (--with-upstream --shared move), or publish it "
            f"where it is (--shared publish)")
