"""Plan a handover: which files move where, which YAML entries are cut and added, which refs are rewritten,
what the ownership log records and who is told. Refused, with one line, when the mesh would break."""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from ..access import granted_roles, load_agreements, role_of
from ..access.product_yaml import with_grants
from ..changeset import Changeset
from ..errors import MeshError
from ..manifest import CODE_ROOTS, Domain, Mesh, legacy_domain_name
from ..manifest.nodes import access
from ..names import check_name, check_text
from ..ownership_log import LOG_FILE, OwnershipChange, sql_lines, with_changes
from ..project import PROJECT_FILE, SUITE_SUFFIX
from . import publish, yaml_text
from .access import FolderConfig, access_at, declared_access, lost_settings
from .agreements import agreed_reads, moved_agreements
from .docs import doc_moves
from .publish import Published, agreement, product_entry, to_publish
from .scope import scope
from .sources import SourceSplit

REASON_LIMIT = 1000  # a sentence or a paragraph: the log's cell and the announcement's line


@dataclass(frozen=True)
class Move:
    name: str
    new_name: str
    from_domain: str
    unique_ids: tuple[str, ...]  # every version of the model
    why: str = ""  # "" (asked for), "upstream" (only moving nodes read it) or "shared" (moved and made public)


NO_MOVE = Move("", "", "", ())  # a file that moves with the models (a test, a doc, an agreement): no edit of its own


@dataclass(frozen=True)
class Entry:
    """A YAML entry that moves: a model's (`models`), a unit test's of a moved model, a source's."""

    section: str
    name: str
    move: Move | None = None  # the model's move (for a unit test: the move of the model it tests)
    split: SourceSplit | None = None  # a source's: which of its tables move (sources.py)


@dataclass
class HandoverPlan:
    to: Domain
    moves: list[Move]
    changes: Changeset
    renamed_refs_in: list[str] = field(default_factory=list)
    sources_moved: list[str] = field(default_factory=list)  # each source entry that moves or is split: a plan line
    warnings: list[str] = field(default_factory=list)
    consumers: list[tuple[str, str, str]] = field(default_factory=list)  # (model, domain, owner) that stay
    moved_files: list[tuple[str, str]] = field(default_factory=list)  # (from, to)
    access: dict[str, str] = field(default_factory=dict)  # moved model's name -> its access after the move
    moved_nodes: dict[str, str] = field(default_factory=dict)  # unique id before -> the node's name after
    moved_entries: list[str] = field(default_factory=list)  # the moved models' YAML entries, as text
    published: list[Published] = field(default_factory=list)  # shared upstream made products (--shared publish)
    published_nodes: dict[str, str] = field(default_factory=dict)  # their unique ids (and their tests') -> name
    product_readers: dict[str, list[str]] = field(default_factory=dict)  # product -> its readers, as labels
    carried: list[tuple[str, str]] = field(default_factory=list)  # (moved reader, product) unique ids before: LEG001


def plan_handover(root: Path, mesh: Mesh, names: list[str], to: str, renames: dict[str, str],
                  new_access: str | None, reason: str, today: dt.date | None = None,
                  with_upstream: bool = False, shared: str | None = None,
                  warehouse: Any = None) -> HandoverPlan:
    """`warehouse`: the built relations' columns (warehouse_columns), read when shared models are published."""
    reason = check_text("reason", reason, limit=REASON_LIMIT, one_line=True)
    target = mesh.require_domain(to)
    asked = _moves(mesh, names, to, {old: new for old, new in renames.items() if old in names})
    folders = FolderConfig(root, mesh.project_name)
    own = declared_access(root, mesh)
    asked_ids = {uid for move in asked for uid in move.unique_ids}

    def access_after(uid: str, moving: set[str], made_public: set[str]) -> str:
        if uid in made_public:
            return "public"
        if uid not in moving:
            return access(mesh.nodes[uid])
        if uid in asked_ids and new_access:
            return new_access
        move = next((m for m in asked if uid in m.unique_ids), None) or \
            Move(mesh.nodes[uid].name, mesh.nodes[uid].name, mesh.domain_of(uid) or "", (uid,))
        return access_at(folders, _destination(mesh.nodes[uid].original_file_path, move, to), own(uid))

    agreed = agreed_reads(root, today or dt.date.today())
    found = scope(mesh, asked_ids, to, with_upstream, shared, access_after, agreed)
    if found.blockers:
        raise MeshError(f"cannot hand {', '.join(move.name for move in asked)} over to {to}: "
                        + "; ".join(found.blockers))
    products = to_publish(mesh, found.published, warehouse)
    along = _taken_along(mesh, found)
    moves = _moves(mesh, [*names, *along], to, renames, along)
    moved_ids = {uid for move in moves for uid in move.unique_ids}
    plan = HandoverPlan(target, moves, Changeset(root))
    plan.access = {move.new_name: access_after(move.unique_ids[0], found.models, found.shared) for move in moves}
    texts: dict[str, str | None] = {}  # relative path -> new text (None: removed), for every file touched

    def read(path: str) -> str | None:
        if path not in texts:
            texts[path] = (root / path).read_text(encoding="utf-8") if (root / path).is_file() else None
        return texts[path]

    yaml_moves: dict[str, list[Entry]] = defaultdict(list)
    for move in moves:
        node = mesh.nodes[move.unique_ids[0]]
        patch = (node.get("patch_path") or "").split("://", 1)[-1]
        if patch:
            yaml_moves[patch].append(Entry("models", move.name, move))
        for sql in sorted({mesh.nodes[uid]["original_file_path"] for uid in move.unique_ids}):
            _move_file(plan, texts, read, sql, _destination(sql, move, to), move)
            lost = lost_settings(folders, sql, _destination(sql, move, to))
            if lost:
                plan.warnings.append(f"{move.name} gets other settings from the folders of {to} in "
                                     f"{PROJECT_FILE} ({'; '.join(lost)}): give it those to keep in its own config")
            suite = sql[: -len(".sql")] + SUITE_SUFFIX
            if (root / suite).is_file():
                _move_file(plan, texts, read, suite, _destination(suite, move, to), move)
        for test in mesh.unit_tests_of(move.unique_ids[0]):
            if test.get("model") == move.name:
                yaml_moves[test.original_file_path].append(Entry("unit_tests", test.name, move))
    for uid in sorted(found.singular_tests):
        test = mesh.nodes[uid]
        origin = test.original_file_path
        _move_file(plan, texts, read, origin, _test_destination(origin, to), NO_MOVE)
    for split in found.sources:
        yaml_moves[split.path].append(Entry("sources", split.name, split=split))
    for path, entries in sorted(yaml_moves.items()):
        _move_entries(plan, texts, read, path, entries, to, new_access)
    plan.moved_nodes = _moved_nodes(mesh, moves, found.singular_tests)
    for product in products:
        _publish(plan, mesh, texts, read, product, agreed, reason, today or dt.date.today())
    for origin, destination, text in moved_agreements(root, moves, to):
        _move_file(plan, texts, read, origin, destination, NO_MOVE)
        texts[destination] = text
    docs = doc_moves(root, plan.moved_entries, {move.from_domain for move in moves}, to)
    for path in docs.files:
        _move_file(plan, texts, read, path, _destination(path, Move("", "", _folder_domain(path), ()), to), NO_MOVE)
    plan.warnings += docs.warnings
    _rewrite_refs(root, plan, texts, read)
    plan.consumers = sorted({_consumer(mesh, child) for uid in moved_ids
                             for child in mesh.children(uid)
                             if child.startswith("model.") and child not in moved_ids})
    date = (today or dt.date.today()).isoformat()
    texts[LOG_FILE] = with_changes(root, [
        OwnershipChange(date, move.name, move.new_name, move.from_domain, to,
                        sql_lines(mesh.nodes[move.unique_ids[0]].get("raw_code") or ""), reason)
        for move in moves])
    _to_changeset(root, plan, texts)
    return plan


def _publish(plan: HandoverPlan, mesh: Mesh, texts, read, product: Published, agreed, reason: str,
             today: dt.date) -> None:
    """Make the shared model a product where it is; file the agreement its moved readers read it under and,
    on legacy, carry their reads into the baseline (LEG001)."""
    label = product.path
    text = read(label)
    if text is None:
        raise MeshError(f"{label} is gone; run `dbt parse` and try again")
    texts[label] = product_entry(text, product, label)
    plan.published.append(product)
    plan.published_nodes[product.unique_id] = product.name
    plan.published_nodes.update({test.unique_id: test.name for test in mesh.tests_of(product.unique_id)
                                 if test.get("attached_node") == product.unique_id})
    moving = publish.readers(mesh, product, set(plan.moved_nodes))
    plan.product_readers[product.name] = sorted(
        [f"{mesh.nodes[uid].name} ({mesh.domain_of(uid)})" for uid in mesh.children(product.unique_id)
         if uid.startswith("model.") and uid not in plan.moved_nodes]
        + [f"{plan.moved_nodes[uid]} ({plan.to.name})" for uid in moving if uid.startswith("model.")])
    if moving and not agreed(product.domain, plan.to.name, product.name):
        path, filed = agreement(product, mesh.require_domain(product.domain), plan.to, reason, today)
        if read(path) is not None:
            raise MeshError(f"{path} is filed but does not let {plan.to.name} read {product.name}: approve it "
                            f"or remove it first")
        texts[path] = filed
    roles = sorted(set(granted_roles(load_agreements(plan.changes.root)[0], today).get(product.name, []))
                   | ({role_of(plan.to.name)} if moving else set()))
    if roles:  # the grants `mesh access grants` would write (ACC006)
        texts[label] = with_grants(texts[label], product.name, roles, label)
    if product.domain == legacy_domain_name(mesh.domains):
        plan.carried += [(uid, product.unique_id) for uid in moving]


def _taken_along(mesh: Mesh, found) -> dict[str, str]:
    """The names of the models the scope takes along, with why: upstream or shared."""
    return {mesh.nodes[uid].name: "shared" if uid in found.shared else "upstream"
            for uid in sorted(found.upstream | found.shared)}


def _moved_nodes(mesh: Mesh, moves: list[Move], singular_tests: set[str]) -> dict[str, str]:
    """Every node that changes owner (models, their tests, unit tests), by unique id, with its name after."""
    found = {}
    for move in moves:
        for uid in move.unique_ids:
            found[uid] = move.new_name
            for test in [*mesh.tests_of(uid), *mesh.unit_tests_of(uid)]:
                if test.get("attached_node") == uid or test.get("model") == move.name:
                    found[test.unique_id] = _renamed_test(test.name, move.name, move.new_name)
    for uid in singular_tests:
        found[uid] = mesh.nodes[uid].name
    return found


def _renamed_test(name: str, old: str, new: str) -> str:
    """A generic test's name after its model is renamed (dbt names it `<test>_<model>_<column>`)."""
    return name if old == new else re.sub(rf"(^|_){re.escape(old)}(_|$)", rf"\g<1>{new}\g<2>", name, count=1)


def _test_destination(path: str, to: str) -> str:
    """`tests/<from>/<rest>` -> `tests/<to>/<rest>`."""
    top, _, rest = path.partition("/")
    return f"{top}/{to}/{rest.partition('/')[2]}"


def _consumer(mesh: Mesh, uid: str) -> tuple[str, str, str]:
    domain = mesh.domain_of(uid) or ""
    owner = mesh.domains.get(domain, None)
    return mesh.nodes[uid]["name"], domain, f"{owner.owner_name} {owner.team_handle}".strip() if owner else ""


def _moves(mesh: Mesh, names: list[str], to: str, renames: dict[str, str],
           why: dict[str, str] | None = None) -> list[Move]:
    by_name: dict[str, list[str]] = defaultdict(list)
    for model in mesh.models():
        by_name[model.name].append(model.unique_id)
    unknown_renames = set(renames) - set(names)
    if unknown_renames:
        raise MeshError(f"--rename names {', '.join(sorted(unknown_renames))}, which is not handed over")
    moves, new_names = [], set()
    for name in dict.fromkeys(names):
        if name not in by_name:
            close = difflib.get_close_matches(name, list(by_name), n=3)
            hint = f"; did you mean {', '.join(close)}?" if close else ""
            raise MeshError(f"unknown model '{name}'{hint}")
        domain = mesh.domain_of(by_name[name][0]) or ""
        if domain == to:
            raise MeshError(f"{name} already belongs to {to}")
        new_name = renames.get(name, name)
        if new_name != name:
            check_name("model", new_name)
            if new_name in by_name:
                raise MeshError(f"cannot rename {name} to {new_name}: a model of that name already exists "
                                f"({mesh.domain_of(by_name[new_name][0])})")
        if new_name in new_names:
            raise MeshError(f"two models would be named {new_name} in {to}")
        new_names.add(new_name)
        moves.append(Move(name, new_name, domain, tuple(sorted(by_name[name])), (why or {}).get(name, "")))
    return moves


def _destination(path: str, move: Move, to: str) -> str:
    """`models/<from>/<rest>` -> `models/<to>/<rest>`, with the model's and the domain's names renamed."""
    parts = PurePosixPath(path).parts
    rest = PurePosixPath(*parts[2:]) if len(parts) > 2 and parts[0] == "models" else PurePosixPath(*parts[1:])
    file_name = rest.name
    if move.from_domain:
        file_name = file_name.replace(f"_{move.from_domain}__", f"_{to}__")
    if file_name.startswith(move.name + "."):
        file_name = move.new_name + file_name[len(move.name):]
    return str(PurePosixPath("models", to, rest.parent, file_name))


def _move_file(plan: HandoverPlan, texts, read, origin: str, destination: str, move: Move) -> None:
    if read(destination) is not None:
        raise MeshError(f"{destination} already exists in {plan.to.name}; rename the model with --rename")
    text = read(origin)
    if origin.endswith(".sql") and move.from_domain:
        text = re.sub(rf"(group\s*=\s*)(['\"]){re.escape(move.from_domain)}\2", rf"\g<1>\g<2>{plan.to.name}\g<2>",
                      text)
    texts[destination], texts[origin] = text, None
    plan.moved_files.append((origin, destination))


def _move_entries(plan: HandoverPlan, texts, read, path: str, entries: list[Entry], to: str,
                  new_access: str | None) -> None:
    """Cut the entries out of `path` and add them to their files in `to`; a file whose every entry moves to
    a file that does not exist yet moves whole, as it is (only the entries' own edits applied)."""
    text = read(path)
    if text is None:
        raise MeshError(f"{path} is gone; run `dbt parse` and try again")
    edited, kept = [], {}  # kept: a split source's entry as it stays
    for item in entries:
        _, entry, dash = yaml_text.cut_entry(text, item.section, item.name, path)
        move = item.move
        if item.split and not item.split.whole:
            entry, kept[item.name] = yaml_text.split_tables(entry, set(item.split.moving), path)
        if item.section == "models" and move is not None:
            plan.moved_entries.append("".join(entry))
            if move.new_name != move.name:
                entry = yaml_text.rename_key(entry, "name", move.name, move.new_name)
            entry = yaml_text.replace_group(entry, move.from_domain, to)
            made = "public" if move.why == "shared" else new_access if not move.why else None
            if made:
                entry = yaml_text.with_key(entry, dash, "access", made)
        elif item.section == "unit_tests" and move is not None and move.new_name != move.name:
            entry = yaml_text.rename_key(entry, "model", move.name, move.new_name)
        mover = move if item.section == "models" and move is not None else Move("", "", _folder_domain(path), ())
        edited.append((item.section, item.name, entry, dash, _destination(path, mover, to)))
        if item.section == "sources":
            plan.sources_moved.append(_source_moved(item.split, edited[-1][-1]))
    destinations = {destination for *_, destination in edited}
    everything = {(section, name) for section in ("models", "sources", "unit_tests")
                  for name in yaml_text.entry_names(text, section, path)}
    if not kept and everything == {(section, name) for section, name, *_ in edited} and len(destinations) == 1 \
            and read(next(iter(destinations))) is None:
        for section, name, entry, _, _ in edited:
            text = yaml_text.replace_entry(text, section, name, entry, path)
        texts[next(iter(destinations))], texts[path] = text, None
        return
    for section, name, entry, dash, destination in edited:
        if section == "sources" and name in kept:
            text = yaml_text.replace_entry(text, section, name, kept[name], path)
        else:
            text, _, _ = yaml_text.cut_entry(text, section, name, path)
        there = read(destination)
        merged = yaml_text.merge_tables(there, entry, destination) if there and section == "sources" else None
        texts[destination] = merged or yaml_text.add_entry(there, section, entry, dash, destination)
    remaining: str | None = text
    for section in dict.fromkeys(item.section for item in entries):
        remaining = remaining and yaml_text.without_empty_section(remaining, section, path)
    texts[path] = remaining


def _source_moved(split: SourceSplit | None, destination: str) -> str:
    assert split is not None
    if split.whole:
        return f"move source {split.name}: {split.path} -> {destination}"
    return (f"split source {split.name} ({split.path}) by table: {', '.join(split.moving)} move to {destination} "
            f"(same source name: no source() changes), {', '.join(split.staying)} "
            f"{'stays' if len(split.staying) == 1 else 'stay'}")


def _folder_domain(path: str) -> str:
    parts = PurePosixPath(path).parts
    return parts[1] if len(parts) > 2 and parts[0] == "models" else ""


REF = r"(\bref\(\s*(?:(['\"])\w+\2\s*,\s*)?)(['\"]){old}\3"


def _rewrite_refs(root: Path, plan: HandoverPlan, texts, read) -> None:
    renamed = {move.name: move.new_name for move in plan.moves if move.new_name != move.name}
    if not renamed:
        return
    candidates = {str(path.relative_to(root)) for top in CODE_ROOTS for suffix in ("*.sql", "*.yml")
                  for path in (root / top).rglob(suffix)} | {path for path, text in texts.items() if text}
    for path in sorted(candidates):
        text = read(path)
        if text is None:
            continue
        new = text
        for old, name in renamed.items():
            new = re.sub(REF.format(old=re.escape(old)), rf"\g<1>\g<3>{name}\g<3>", new)
        if new != text:
            texts[path] = new
            if path not in {destination for _, destination in plan.moved_files}:
                plan.renamed_refs_in.append(path)


def _to_changeset(root: Path, plan: HandoverPlan, texts: dict[str, str | None]) -> None:
    for path, text in texts.items():
        exists = (root / path).is_file()
        if text is None:
            if exists:
                plan.changes.remove(path)
        elif not exists:
            plan.changes.create(path, text)
        elif text != (root / path).read_text(encoding="utf-8"):
            plan.changes.replace(path, text)
