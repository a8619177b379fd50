"""Plan a handover: which files move where, which YAML entries are cut and added, which refs are rewritten,
what the ownership log records and who is told. Refused, with one line, when the mesh would break."""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from ..changeset import Changeset
from ..errors import MeshError
from ..manifest import CODE_ROOTS, Domain, Mesh
from ..manifest.nodes import access, parents
from ..names import check_name, check_text
from ..ownership_log import LOG_FILE, OwnershipChange, sql_lines, with_changes
from ..project import SUITE_SUFFIX
from . import yaml_text

REASON_LIMIT = 1000  # a sentence or a paragraph: the log's cell and the announcement's line


@dataclass(frozen=True)
class Move:
    name: str
    new_name: str
    from_domain: str
    unique_ids: tuple[str, ...]  # every version of the model


@dataclass
class HandoverPlan:
    to: Domain
    moves: list[Move]
    changes: Changeset
    renamed_refs_in: list[str] = field(default_factory=list)
    sources_moved: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    consumers: list[tuple[str, str, str]] = field(default_factory=list)  # (model, domain, owner) that stay
    moved_files: list[tuple[str, str]] = field(default_factory=list)  # (from, to)


def plan_handover(root: Path, mesh: Mesh, names: list[str], to: str, renames: dict[str, str],
                  new_access: str | None, reason: str, today: dt.date | None = None) -> HandoverPlan:
    reason = check_text("reason", reason, limit=REASON_LIMIT, one_line=True)
    target = mesh.require_domain(to)
    moves = _moves(mesh, names, to, renames)
    moved_ids = {uid for move in moves for uid in move.unique_ids}
    _refuse_private_use_across_domains(mesh, moved_ids, to, new_access)
    plan = HandoverPlan(target, moves, Changeset(root))
    texts: dict[str, str | None] = {}  # relative path -> new text (None: removed), for every file touched

    def read(path: str) -> str | None:
        if path not in texts:
            texts[path] = (root / path).read_text(encoding="utf-8") if (root / path).is_file() else None
        return texts[path]

    yaml_moves: dict[str, list[tuple[str, Move]]] = defaultdict(list)
    for move in moves:
        node = mesh.nodes[move.unique_ids[0]]
        patch = (node.get("patch_path") or "").split("://", 1)[-1]
        if patch:
            yaml_moves[patch].append(("models", move))
        for sql in sorted({mesh.nodes[uid]["original_file_path"] for uid in move.unique_ids}):
            _move_file(plan, texts, read, sql, _destination(sql, move, to), move, new_access)
            suite = sql[: -len(".sql")] + SUITE_SUFFIX
            if (root / suite).is_file():
                _move_file(plan, texts, read, suite, _destination(suite, move, to), move, None)
    for source_file, source_name in _sources_to_move(mesh, moved_ids, to, plan):
        yaml_moves[source_file].append(("sources", Move(source_name, source_name, "", ())))
    for path, entries in sorted(yaml_moves.items()):
        _move_entries(plan, texts, read, path, entries, to, new_access)
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


def _consumer(mesh: Mesh, uid: str) -> tuple[str, str, str]:
    domain = mesh.domain_of(uid) or ""
    owner = mesh.domains.get(domain, None)
    return mesh.nodes[uid]["name"], domain, f"{owner.owner_name} {owner.team_handle}".strip() if owner else ""


def _moves(mesh: Mesh, names: list[str], to: str, renames: dict[str, str]) -> list[Move]:
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
        moves.append(Move(name, new_name, domain, tuple(sorted(by_name[name]))))
    return moves


def _refuse_private_use_across_domains(mesh: Mesh, moved: set[str], to: str, new_access: str | None) -> None:
    """A model used from another domain must be public: dbt refuses private ones, `mesh check` protected ones."""
    def domain_after(uid: str) -> str | None:
        node = mesh.nodes.get(uid)
        if uid in moved or (node is not None and node.attached_node in moved):
            return to
        return mesh.domain_of(uid)

    def access_after(uid: str) -> str:
        return new_access if uid in moved and new_access else access(mesh.nodes[uid])

    for uid in sorted(moved):
        name = mesh.nodes[uid]["name"]
        for parent in parents(mesh.nodes[uid]):
            if parent.startswith("model.") and domain_after(parent) != to and access_after(parent) != "public":
                parent_name = mesh.nodes[parent]["name"]
                raise MeshError(f"{name} would use {parent_name} of domain {domain_after(parent)}, which is "
                                f"{access_after(parent)}: hand {parent_name} over too")
        for child in mesh.children(uid):
            if child in mesh.nodes and domain_after(child) not in (to, None) and access_after(uid) != "public":
                raise MeshError(f"{mesh.nodes[child]['name']} ({domain_after(child)}) uses {name}, which would "
                                f"be {access_after(uid)} in {to}: hand it over too, or use --access public")


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


def _move_file(plan: HandoverPlan, texts, read, origin: str, destination: str, move: Move,
               new_access: str | None) -> None:
    if read(destination) is not None:
        raise MeshError(f"{destination} already exists in {plan.to.name}; rename the model with --rename")
    text = read(origin)
    if origin.endswith(".sql") and move.from_domain:
        text = re.sub(rf"(group\s*=\s*)(['\"]){re.escape(move.from_domain)}\2", rf"\g<1>\g<2>{plan.to.name}\g<2>",
                      text)
    texts[destination], texts[origin] = text, None
    plan.moved_files.append((origin, destination))


def _move_entries(plan: HandoverPlan, texts, read, path: str, entries, to: str, new_access: str | None) -> None:
    """Cut the entries out of `path` and add them to their files in `to`; a file whose every entry moves to
    a file that does not exist yet moves whole, as it is (only the entries' own edits applied)."""
    text = read(path)
    if text is None:
        raise MeshError(f"{path} is gone; run `dbt parse` and try again")
    edited = []
    for section, move in entries:
        _, entry, dash = yaml_text.cut_entry(text, section, move.name, path)
        if section == "models":
            if move.new_name != move.name:
                entry = yaml_text.rename_entry(entry, move.name, move.new_name)
            entry = yaml_text.replace_group(entry, move.from_domain, to)
            if new_access:
                entry = yaml_text.with_key(entry, dash, "access", new_access)
        mover = move if section == "models" else Move("", "", _folder_domain(path), ())
        edited.append((section, move.name, entry, dash, _destination(path, mover, to)))
        if section == "sources":
            plan.sources_moved.append(move.name)
    destinations = {destination for *_, destination in edited}
    everything = {(section, name) for section in ("models", "sources")
                  for name in yaml_text.entry_names(text, section, path)}
    if everything == {(section, name) for section, name, *_ in edited} and len(destinations) == 1 \
            and read(next(iter(destinations))) is None:
        for section, name, entry, _, _ in edited:
            text = yaml_text.replace_entry(text, section, name, entry, path)
        texts[next(iter(destinations))], texts[path] = text, None
        return
    for section, name, entry, dash, destination in edited:
        text, _, _ = yaml_text.cut_entry(text, section, name, path)
        texts[destination] = yaml_text.add_entry(read(destination), section, entry, dash, destination)
    texts[path] = yaml_text.without_empty_section(text, entries[0][0], path)


def _folder_domain(path: str) -> str:
    parts = PurePosixPath(path).parts
    return parts[1] if len(parts) > 2 and parts[0] == "models" else ""


def _sources_to_move(mesh: Mesh, moved: set[str], to: str, plan: HandoverPlan) -> list[tuple[str, str]]:
    """Sources whose every reader moves go along (a domain reads its own raw data); the rest are warned of."""
    sources = mesh.sources
    read_by: dict[tuple[str, str], set[str]] = defaultdict(set)  # (file, source name) -> readers of its tables
    for uid, source in sources.items():
        read_by[(source["original_file_path"], source["source_name"])] |= set(mesh.children(uid))
    found = []
    for (path, name), readers in sorted(read_by.items()):
        if not readers & moved or _folder_domain(path) == to:
            continue
        if readers <= moved:
            found.append((path, name))
        else:
            others = sorted(mesh.nodes[uid]["name"] for uid in readers - moved if uid in mesh.nodes)
            plan.warnings.append(f"source {name} ({path}) stays with {_folder_domain(path)}, as "
                                 f"{', '.join(others[:5])} still read it: `mesh check` reports ACC003 until "
                                 f"{to} reads that data through {_folder_domain(path)}'s products")
    return found


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
