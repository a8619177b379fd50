"""Quarantine: a domain whose files dbt cannot parse is left out of the parse, so that the others still build.

dbt reads `.dbtignore` (gitignore patterns, relative to the project root) to skip files. While a session has
quarantined domains, the spec dbt builds from that file is extended with the domains' folders
(`models/<domain>/`, `seeds/<domain>/`, `tests/<domain>/`, ...): the same exclusion, without writing to the
user's `.dbtignore`. A domain whose own file does not parse is `failed`; one left out only because it refs a
model of a quarantined domain (its ref no longer resolves) is `blocked` by it. A parse error outside every
domain (root files, macros, generic tests) is not quarantined: the run stops, in one line.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from .dbt_messages import essential
from .errors import MeshError
from .manifest.domains import DOMAIN_ROOTS, Domain, domain_from_group_file
from .project import Project

FAILED, BLOCKED = "failed", "blocked"
PARSED_SUFFIXES = (".sql", ".yml", ".yaml", ".py", ".csv", ".md")
_PATHS = re.compile(r"[\w./-]+(?:" + "|".join(re.escape(suffix) for suffix in PARSED_SUFFIXES) + r")\b")
_MISSING_REF = re.compile(r"depends on a node named '([^']+)'")
_MISSING_SOURCE = re.compile(r"depends on a source named '([^'.]+)\.[^']+'")
_REFERRING_NODE = re.compile(r"\bNode (?:model|snapshot|test|seed)\.\w+\.(\w+?)(?:\.v\d+)? attempted to reference")
_NOT_ALLOWED = re.compile(r"attempted to reference node (\S+), which is not allowed because the referenced node is "
                          r"(private|protected)")


@dataclass(frozen=True)
class QuarantinedDomain:
    """A domain left out of the parse: why (`failed` on its own file, or `blocked` by `upstream`), where."""

    name: str
    status: str
    path: str  # the file dbt could not parse, relative to the project root
    message: str  # dbt's message, one line
    upstream: str | None = None  # the quarantined domain whose model it refs (blocked)

    @property
    def blocked_by(self) -> str:
        """Why a blocked domain was left out: `<its file> reads a model of <upstream>`."""
        return f"{self.path} reads a model of {self.upstream}"

    def owner(self, project: Project) -> Domain:
        """The domain's owner from its group's YAML when that still reads, else a bare Domain."""
        return declared_domain(project, self.name) or Domain(self.name, "", "", "", "", "")


def folders_of(domains: Iterable[str]) -> list[str]:
    """.dbtignore patterns for every folder the domains own."""
    return [f"/{root}/{name}/" for name in sorted(domains) for root in DOMAIN_ROOTS]


@contextlib.contextmanager
def leaving_out(domains: Iterable[str]) -> Iterator[None]:
    """While inside, dbt's parse skips the domains' folders as if `.dbtignore` listed them."""
    patterns = folders_of(domains)
    if not patterns:
        yield
        return
    import pathspec
    from dbt.parser import read_files

    own = read_files.generate_dbt_ignore_spec
    extra = pathspec.PathSpec.from_lines(pathspec.patterns.GitWildMatchPattern, patterns)

    def with_quarantine(project_root):
        spec = own(project_root)
        return extra if spec is None else spec + extra

    read_files.generate_dbt_ignore_spec = with_quarantine
    try:
        yield
    finally:
        read_files.generate_dbt_ignore_spec = own


def quarantine_for(error: BaseException | None, project: Project,
                   quarantined: dict[str, QuarantinedDomain]) -> QuarantinedDomain | None:
    """The domain to leave out for dbt's parse `error`, or None when the file is outside every domain
    (or already left out, which would loop)."""
    if error is None:
        return None
    message = essential(str(error))
    for path in _failing_files(error, project):
        domain = domain_of_file(path, project)
        if domain is None:
            return None
        if domain in quarantined:
            continue
        upstream = _quarantined_owner_of_missing_ref(message, project, quarantined)
        return QuarantinedDomain(domain, BLOCKED if upstream else FAILED, path, message, upstream)
    return None


def domain_of_file(path: str, project: Project) -> str | None:
    """`partners` for models/partners/..., seeds/partners/, tests/partners/... (a domain is a folder of
    models/); None for a file of no domain (tests/generic/, macros/, the root)."""
    parts = Path(path).parts
    if len(parts) > 2 and parts[0] in DOMAIN_ROOTS and (project.root / "models" / parts[1]).is_dir():
        return parts[1]
    return None


def declared_domain(project: Project, name: str) -> Domain | None:
    """The domain as its group's YAML in models/<name>/ declares it, when a file there declares it and reads."""
    from .yaml_input import parse_yaml

    folder = project.root / "models" / name
    for path in sorted(folder.glob("*.yml")):
        with contextlib.suppress(MeshError, OSError, UnicodeDecodeError):
            data = parse_yaml(path.read_text(encoding="utf-8"), str(path))
            for group in (data or {}).get("groups") or [] if isinstance(data, dict) else []:
                if isinstance(group, dict) and group.get("name") == name:
                    return domain_from_group_file(group)
    return None


def _failing_files(error: BaseException, project: Project) -> list[str]:
    """The project files dbt's error names, relative to the root: the node's file first, then any path in
    the message (a YAML error names it relative to its resource folder, e.g. partners/marts/x.yml)."""
    node = getattr(error, "node", None)
    named = [getattr(node, "original_file_path", None), getattr(error, "path", None), *_PATHS.findall(str(error)),
             *_model_files(_REFERRING_NODE.findall(str(error)), project)]
    found = []
    for candidate in filter(None, named):
        for base in ("", *DOMAIN_ROOTS):
            relative = str(Path(base) / candidate)
            if (project.root / relative).is_file() and relative not in found:
                found.append(relative)
                break
    return found


def _model_files(names: Iterable[str], project: Project) -> list[str]:
    """The SQL or Python files of the models named (dbt names a node, not its file, in some errors)."""
    return [str(path.relative_to(project.root)) for name in names
            for suffix in (".sql", ".py") for path in sorted((project.root / "models").rglob(name + suffix))]


def described(left_out: QuarantinedDomain, mesh) -> str:
    """dbt's message, and the way to what was meant where dbt refused a ref (`way_to`)."""
    hint = way_to(left_out.message, mesh)
    return f"{left_out.message} -> {hint}" if hint else left_out.message


def way_to(message: str, mesh) -> str | None:
    """For a ref dbt refused (private or protected to another group): the public products of that group built
    on the model, their owner, and how to use one instead; None when the message is not such a refusal."""
    match = _NOT_ALLOWED.search(message)
    if match is None or match.group(1) not in mesh.nodes:
        return None
    uid = match.group(1)
    domain = mesh.domain_of(uid)
    products = sorted({mesh.nodes[child].name for child in mesh.descendants(uid)
                       if mesh.is_product(child) and mesh.domain_of(child) == domain})
    owner = mesh.owner(domain)
    who = f"owned by {owner.owner}" if owner is not None else "its owner"
    if not products:
        return (f"{mesh.nodes[uid].name} is {match.group(2)} to {domain}, and no public product of {domain} is built "
                f"on it: ask {domain} ({who}) to publish what you need")
    return (f"{mesh.nodes[uid].name} is {match.group(2)} to {domain}; its data is published as "
            f"{', '.join(products)} ({domain}, {who}): ref that instead (`mesh product show {products[0]}`)")


def _quarantined_owner_of_missing_ref(message: str, project: Project,
                                      quarantined: dict[str, QuarantinedDomain]) -> str | None:
    """The quarantined domain holding the model or source a failed ref names (so the referrer is blocked by
    it, not at fault)."""
    model, source = _MISSING_REF.search(message), _MISSING_SOURCE.search(message)
    for domain in sorted(quarantined):
        folder = project.root / "models" / domain
        if model and any(path.stem == model.group(1) or re.fullmatch(rf"{re.escape(model.group(1))}_v\d+", path.stem)
                         for path in [*folder.rglob("*.sql"), *folder.rglob("*.py")]):
            return domain
        if source and any(_declares_source(path, source.group(1)) for path in folder.rglob("*.yml")):
            return domain
    return None


def _declares_source(path: Path, name: str) -> bool:
    """Whether a properties file (read as text: it may be the one that does not parse) declares source `name`."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return False
    declared = re.compile(rf"name:\s*['\"]?{re.escape(name)}['\"]?\s*$", re.MULTILINE)
    return "sources:" in text and declared.search(text) is not None
