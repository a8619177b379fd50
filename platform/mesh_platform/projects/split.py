"""`mesh split DOMAIN`: a domain leaves the root project for a dbt project of its own.

The plan moves the domain's folders (models, seeds, singular tests, analyses) and the macros only it uses,
writes the new project's dbt_project.yml, profile and dbt-loom configuration, turns every other project's refs
to the domain's products into cross-project refs (and the domain's refs to theirs), leaves a declaration of the
domain's raw sources with the domains that still read them (legacy's monolith), and lists the project in
mesh.yml. It refuses, naming them, when other domains read models of the domain that are not public.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..changeset import Changeset
from ..codeowners import CODEOWNERS_PATH as CODEOWNERS
from ..codeowners import locate, render_codeowners
from ..errors import MeshError
from ..manifest import Mesh
from ..manifest import nodes as read
from .config import CONFIG_FILE, MeshProject, graduated_folders, graduated_projects, with_project
from .project_files import (
    LOOM_CONFIG,
    graduated_dbt_project,
    graduated_profile,
    loom_config,
    relative,
    with_attached,
    without_domain_configs,
)
from .runs import mesh_of

MOVED_ROOTS = ("models", "seeds", "tests", "analyses")  # each holds <root>/<domain>/ for a domain's own files
REWRITTEN_SUFFIXES = (".sql", ".yml", ".yaml", ".md")
BASELINE = "mesh-baseline.json"


@dataclass(frozen=True)
class Macro:
    """A macro of the project (dbt's manifest keeps them; the platform's model does not)."""
    unique_id: str
    path: str
    calls: tuple[str, ...]


def project_macros(dbt_manifest, project_name: str) -> list[Macro]:
    """The project's own macros out of dbt's in-memory manifest."""
    return [Macro(uid, macro.original_file_path, tuple(macro.depends_on.macros))
            for uid, macro in dbt_manifest.macros.items() if macro.package_name == project_name]


@dataclass
class SplitPlan:
    domain: str
    folder: str  # the new project's folder, relative to the root
    changes: Changeset
    moved: list[str] = field(default_factory=list)  # files moved, as they were
    rewritten: dict[str, int] = field(default_factory=dict)  # file -> refs turned cross-project
    sources_left: dict[str, list[str]] = field(default_factory=dict)  # reader domain -> sources declared there
    macros_moved: list[str] = field(default_factory=list)


def plan_split(root: Path, root_name: str, mesh: Mesh, macros: list[Macro], domain: str,
               to: str | None) -> SplitPlan:
    """Everything the split writes, or a MeshError saying why it cannot be made (nothing written)."""
    mesh.require_domain(domain)
    graduated = graduated_projects(root)
    if any(domain in project.domains for project in graduated):
        raise MeshError(f"{domain} already has its own project; nothing to split")
    if domain not in {mesh.domain_of(node.unique_id) for node in mesh.models()}:
        raise MeshError(f"{domain} has no model in this project; only a domain with models can graduate")
    _refuse_private_readers(mesh, domain)
    folder = to or f"projects/{domain}"
    target = (root / folder).resolve()
    if not target.is_relative_to(root.resolve()) or target == root.resolve():
        raise MeshError(f"--to {folder} must be a new folder inside the repo (e.g. projects/{domain})")
    if target.exists() and any(target.iterdir()):
        raise MeshError(f"--to {folder} already exists and is not empty; pick a new folder")
    folder = relative(target, root)
    project = MeshProject(domain, target, (domain,), target / "target" / "manifest.json")
    root_project = MeshProject(root_name, root, (), root / "target" / "manifest.json", is_root=True)
    plan = SplitPlan(domain, folder, Changeset(root))
    _move_domain_files(plan, root, mesh, macros)
    _rewrite_refs(plan, root, mesh, graduated, root_name)
    _leave_sources(plan, root, mesh, project)
    _write_project_files(plan, root, root_project, project, graduated)
    _follow_codeowners_and_baseline(plan, root, mesh, root_name)
    return plan


def _refuse_private_readers(mesh: Mesh, domain: str) -> None:
    readers = [f"{mesh.label(uid)} ({mesh.domain_of(uid)}) reads {mesh.label(parent)} "
               f"({read.access(mesh.nodes[parent])})"
               for uid, parents in mesh.dependents_on(domain).items() for parent in parents
               if not mesh.is_product(parent)]
    if readers:
        raise MeshError(f"cannot split {domain}: other domains read its models that are not products: "
                        + "; ".join(sorted(set(readers)))
                        + f". Have them read {domain}'s public products instead, or publish those models first")


def _domain_files(root: Path, domain: str) -> list[str]:
    found = []
    for top in MOVED_ROOTS:
        base = root / top / domain
        if base.is_dir():
            found += [path.relative_to(root).as_posix() for path in sorted(base.rglob("*")) if path.is_file()]
    return found


def _move_domain_files(plan: SplitPlan, root: Path, mesh: Mesh, macros: list[Macro]) -> None:
    for path in _domain_files(root, plan.domain):
        plan.changes.create(f"{plan.folder}/{path}", (root / path).read_text("utf-8", "surrogateescape"))
        plan.changes.remove(path)
        plan.moved.append(path)
    for macro_file in _macros_only_for(mesh, macros, plan.domain, root):
        plan.changes.create(f"{plan.folder}/{macro_file}", (root / macro_file).read_text("utf-8"))
        plan.changes.remove(macro_file)
        plan.macros_moved.append(macro_file)


def _macros_only_for(mesh: Mesh, macros: list[Macro], domain: str, root: Path) -> list[str]:
    """The project's macro files whose every macro is called by the domain's nodes only."""
    callers: dict[str, set[str | None]] = {}
    for uid, node in mesh.nodes.items():
        for called in node.depends_on.macros:
            callers.setdefault(called, set()).add(mesh.domain_of(uid))
    called_by_macros = {called for macro in macros for called in macro.calls}
    by_file: dict[str, list[str]] = {}
    for macro in macros:
        by_file.setdefault(macro.path, []).append(macro.unique_id)
    return sorted(path for path, uids in by_file.items()
                  if all(callers.get(uid) == {domain} and uid not in called_by_macros for uid in uids)
                  and (root / path).is_file())


def _ref_pattern(names: set[str]) -> re.Pattern:
    alternatives = "|".join(re.escape(name) for name in sorted(names, key=len, reverse=True))
    return re.compile(rf"\bref\(\s*(?P<quote>['\"])(?P<name>{alternatives})(?P=quote)")


def _rewrite_refs(plan: SplitPlan, root: Path, mesh: Mesh, graduated: list[MeshProject], root_name: str) -> None:
    """Refs from everywhere else to the domain's products name its project; the domain's refs to the other
    domains' products name theirs."""
    products = {node.name for node in mesh.products(plan.domain)}
    project_of_domain = {domain: project.name for project in graduated for domain in project.domains}
    theirs: dict[str, str] = {}
    for node in mesh.products():
        owner = mesh.domain_of(node.unique_id)
        if owner and owner != plan.domain:
            theirs[node.name] = project_of_domain.get(owner, root_name)
    if products:
        inward = _ref_pattern(products)
        folders = [root / top for top in MOVED_ROOTS] + [project.root for project in graduated]
        for path in _files_under(folders, root, skip=set(plan.moved)):
            _rewrite(plan, root, path, inward, lambda name: plan.domain)
    if theirs:
        outward = _ref_pattern(set(theirs))
        for moved in plan.moved:
            _rewrite(plan, root, root / moved, outward, theirs.__getitem__, moved_to=f"{plan.folder}/{moved}")


def _files_under(folders: list[Path], root: Path, skip: set[str]) -> list[Path]:
    """The SQL, YAML and doc files under `folders` (build outputs aside), but those in `skip` (moving ones)."""
    found = []
    for folder in folders:
        if folder.is_dir():
            found += [path for path in sorted(folder.rglob("*"))
                      if path.is_file() and path.suffix in REWRITTEN_SUFFIXES and "target" not in path.parts
                      and path.relative_to(root).as_posix() not in skip]
    return found


def _rewrite(plan: SplitPlan, root: Path, path: Path, pattern: re.Pattern, project_for, moved_to: str | None = None):
    relative_path = path.relative_to(root).as_posix()
    text = plan.changes.created.get(moved_to, "") if moved_to else path.read_text("utf-8", "surrogateescape")
    new, count = pattern.subn(
        lambda m: f"ref({m['quote']}{project_for(m['name'])}{m['quote']}, {m['quote']}{m['name']}{m['quote']}",
        text)
    if not count:
        return
    plan.rewritten[moved_to or relative_path] = count
    if moved_to:
        plan.changes.create(moved_to, new)
    else:
        plan.changes.replace(relative_path, new)


def _leave_sources(plan: SplitPlan, root: Path, mesh: Mesh, project: MeshProject) -> None:
    """The domain's sources other domains still read stay declared in the root, in the reader's folder, on the
    graduated project's warehouse (attached read-only): the monolith keeps reading raw tables until handed over."""
    readers: dict[str, dict[str, list]] = {}
    for uid, consumer_domain, parents in mesh.consumers():
        if consumer_domain == plan.domain or consumer_domain is None:
            continue
        for parent in parents:
            if parent.startswith("source.") and mesh.domain_of(parent) == plan.domain and consumer_domain:
                readers.setdefault(consumer_domain, {}).setdefault(parent, []).append(uid)
    for reader, used in sorted(readers.items()):
        sources: dict[str, dict] = {}
        for uid in sorted(used):
            source = mesh.sources[uid]
            entry = sources.setdefault(source.source_name or "", {
                "name": source.source_name,
                "description": f"{plan.domain}'s raw tables, read from its own project's warehouse "
                               f"({plan.folder}), attached read-only; declared here by `mesh split` for "
                               f"{reader}, until {reader} reads {plan.domain}'s products instead.",
                # DuckDB: the graduated project's file, attached; elsewhere the one database (Spark: none but
                # the schema itself, as dbt-spark wants)
                "database": f"{{{{ '{project.database}' if target.type == 'duckdb' else "
                            f"(target.database or '{source.get('schema')}') }}}}",
                "schema": source.get("schema"), "tables": []})
            entry["tables"].append({"name": source.name, "identifier": source.get("identifier") or source.name})
        path = f"models/{reader}/_{plan.domain}__sources.yml"
        plan.changes.create(path, "# Written by `mesh split` (see the description).\n"
                            + yaml.safe_dump({"sources": list(sources.values())}, sort_keys=False, width=110))
        plan.sources_left[reader] = [mesh.label(uid) for uid in sorted(used)]


def _write_project_files(plan: SplitPlan, root: Path, root_project: MeshProject, project: MeshProject,
                         graduated: list[MeshProject]) -> None:
    changes = plan.changes
    project_text = (root / "dbt_project.yml").read_text("utf-8")
    settings = yaml.safe_load(project_text)
    changes.replace("dbt_project.yml", without_domain_configs(project_text, plan.domain))
    changes.create(f"{plan.folder}/dbt_project.yml",
                   graduated_dbt_project(settings, root_project.name, plan.domain, project.root, root))
    every = [root_project, *graduated, project]
    root_profile = (root / "profiles.yml").read_text("utf-8")
    for member in every:
        others = [other for other in every if other.name != member.name]
        loom = loom_config(member, others)
        if member is project:
            changes.create(f"{plan.folder}/profiles.yml",
                           with_attached(graduated_profile(root_profile, project, root_project), project, others))
            changes.create(f"{plan.folder}/{LOOM_CONFIG}", loom)
            continue
        base = relative(member.root, root)
        prefix = "" if base == "." else f"{base}/"
        profile = (member.root / "profiles.yml").read_text("utf-8")
        changes.replace(f"{prefix}profiles.yml", with_attached(profile, member, others))
        changes.replace(f"{prefix}{LOOM_CONFIG}", loom)
    for name in (".dbtignore", ".sqlfluff"):
        if (root / name).is_file():
            changes.create(f"{plan.folder}/{name}", (root / name).read_text("utf-8"))
    changes.create(f"{plan.folder}/warehouse/.gitignore", "*\n!.gitignore\n")
    config = (root / CONFIG_FILE).read_text("utf-8") if (root / CONFIG_FILE).is_file() else ""
    entries = [(p.name, relative(p.root, root), p.domains) for p in graduated]
    entries.append((plan.domain, plan.folder, (plan.domain,)))
    changes.replace(CONFIG_FILE, with_project(config, entries))


def _follow_codeowners_and_baseline(plan: SplitPlan, root: Path, mesh: Mesh, root_name: str) -> None:
    """CODEOWNERS routes the new project's folder to the domain's team; baseline entries of the moved nodes
    follow their new unique ids."""
    where = locate(root)
    if where.read() is not None and where.repository == root.resolve():  # the file in the repository's root
        graduated = graduated_projects(root)
        domains = {**(mesh_of(graduated).domains if graduated else {}), **mesh.domains}
        folders = {**graduated_folders(root), plan.domain: plan.folder}
        plan.changes.replace(CODEOWNERS.as_posix(), render_codeowners(
            domains.values(), root, where.read(), exists=lambda folder: folder.split("/")[1:2] != [plan.domain]
            and (root / folder).is_dir(), project_folders=folders))
    baseline = root / BASELINE
    if baseline.is_file():
        text = baseline.read_text("utf-8")
        moved = [node.unique_id for node in mesh.nodes.values() if mesh.domain_of(node.unique_id) == plan.domain]
        new = text
        for uid in moved:
            kind, _, rest = uid.partition(f".{root_name}.")
            new = new.replace(f":{uid}\"", f":{kind}.{plan.domain}.{rest}\"")
        if new != text:
            plan.changes.replace(BASELINE, new)
