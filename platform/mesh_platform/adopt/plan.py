"""What `mesh adopt` will change, worked out without dbt: every refusal happens here, before any write."""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import yaml

from ..changeset import Changeset
from ..check.config import CONFIG_FILE, DEFAULT_BASELINE
from ..codeowners import CODEOWNERS_PATH, locate, render_codeowners
from ..errors import MeshError
from ..manifest import DECOMMISSIONING, LEGACY, Domain
from ..names import check_email, check_name, check_team_handle, check_text
from ..ownership_log import ADOPTED_FROM, LOG_FILE, OwnershipChange, sql_lines, with_changes
from ..project import PROJECT_FILE
from ..writers.yaml import dump_dbt_yaml
from .project_yml import configured_keys, has_group_config, with_legacy_config

MODELS = "models"
ANALYSES = "analyses"  # the analysis-paths whose `<domain>/` folders the mesh reads a domain from
MODEL_SUFFIXES = (".sql", ".py")
SNAPSHOT_SUFFIXES = (".sql", ".yml", ".yaml")
GENERIC = "generic"  # test-paths' folder of generic test definitions (macros, not nodes)
GROUPED_NAMES = {"data_tests": "singular tests", "tests": "singular tests"}  # a section's name for people
REASON = "adopted into the mesh"
# CODEOWNERS names a team (@org/team) or a user or bot (@name); `mesh check` (OWN003) accepts both.
LONE_HANDLE = re.compile(r"^@[A-Za-z0-9][A-Za-z0-9._-]*$")
MESH_YML = """\
# Settings of `mesh check` (see `mesh check --list-rules`), written by `mesh adopt`.
#   rules:    project-wide severity per rule code: error | warn | off
#   domains:  per-domain overrides, e.g. {{{domain}: {{rules: {{TST001: warn}}}}}}
#   waivers:  exceptions; each names rule, node (name or glob), optional domain, reason and expiry.
#             An expired waiver is an error: fix the violations or renew it with a reason.
#   baseline: the violations recorded when the project was adopted (and by `mesh check --write-baseline`):
#             only new ones fail. Each handover out of {domain} should leave fewer.
rules: {{}}
domains: {{}}
waivers: []
baseline: {baseline}
"""


@dataclass(frozen=True)
class Owner:
    name: str
    email: str
    team_handle: str


@dataclass
class AdoptionPlan:
    root: Path
    project: str
    owner: Owner
    changes: Changeset  # rooted at the git repository's root, whose .github/CODEOWNERS it updates
    domain: str = LEGACY
    moves: list[tuple[str, str]] = field(default_factory=list)  # (from, to), relative to the changes' root
    models: list[str] = field(default_factory=list)  # the adopted models' names
    grouped: tuple[str, ...] = ()  # seeds, snapshots, singular tests: given the domain by config, files left in place
    diffs: dict[str, str] = field(default_factory=dict)  # updated file -> unified diff
    prefix: str = ""  # the project's folder inside the changes' root (`""`, or `dbt/` for a project in a sub-folder)

    def path(self, relative: str) -> str:
        """A path relative to the project, as the changes name it."""
        return f"{self.prefix}{relative}"

    @property
    def written(self) -> list[str]:
        """Files created or updated other than the moves."""
        moved = {target for _, target in self.moves}
        return [path for path in self.changes.paths() if path not in moved and path not in self.changes.removed]


def validate_owner(name: str, email: str, team_handle: str) -> Owner:
    name = check_text("owner (team name)", name, limit=100, one_line=True)
    handle = team_handle if LONE_HANDLE.fullmatch(team_handle) else check_team_handle(team_handle)
    return Owner(name, check_email(email), handle)


def validate_domain(name: str) -> str:
    return check_name("domain", name)


def plan_adoption(root: Path, owner: Owner, today: dt.date | None = None, domain_name: str = LEGACY) -> AdoptionPlan:
    """Every file the adoption writes, moves or updates; a MeshError (nothing changed) when it cannot be done.
    Every model moves into `models/<domain_name>/` and every analysis into `analyses/<domain_name>/`; the seeds,
    snapshots and singular tests join that domain by config."""
    project_yml, data = _read_project(root, domain_name)
    files = _model_files(root, data)
    project = str(data["name"])
    codeowners = locate(root)
    plan = AdoptionPlan(root, project, owner, Changeset(codeowners.repository), domain_name,
                        prefix=codeowners.prefix)
    for path, content in files.items():
        target = f"{MODELS}/{domain_name}/{PurePosixPath(path).relative_to(MODELS)}"
        plan.changes.create(plan.path(target), content)
        plan.changes.remove(plan.path(path))
        plan.moves.append((plan.path(path), plan.path(target)))
    plan.models = sorted(PurePosixPath(path).stem for path in files if path.endswith(MODEL_SUFFIXES))
    for path, content in _analysis_files(root, data, domain_name).items():  # dbt gives analyses no group
        target = f"{ANALYSES}/{domain_name}/{PurePosixPath(path).relative_to(ANALYSES)}"
        plan.changes.create(plan.path(target), content)
        plan.changes.remove(plan.path(path))
        plan.moves.append((plan.path(path), plan.path(target)))
    plan.grouped = _grouped_sections(root, data)
    _update(plan, PROJECT_FILE, project_yml,
            with_legacy_config(project_yml, _config_keys(files), _test_folders(root, data), domain_name, plan.grouped))
    domain = Domain(domain_name, owner.name, owner.email, owner.team_handle, _description(project, owner),
                    DECOMMISSIONING)
    plan.changes.create(plan.path(f"{MODELS}/{domain_name}/_{domain_name}__domain.yml"), _group_yml(domain))
    if (root / CONFIG_FILE).exists():
        _check_config(root)  # kept as it is, and read for the baseline: refused now if it is broken
    else:
        plan.changes.create(plan.path(CONFIG_FILE), MESH_YML.format(domain=domain_name, baseline=DEFAULT_BASELINE))
    adopted_folders = {f"{MODELS}/{domain_name}"}
    current = codeowners.read()
    _update(plan, str(CODEOWNERS_PATH), current,
            render_codeowners([domain], root, current, lambda folder: folder in adopted_folders), in_project=False)
    day = (today or dt.date.today()).isoformat()
    log = [OwnershipChange(day, PurePosixPath(path).stem, PurePosixPath(path).stem, ADOPTED_FROM, domain_name,
                           sql_lines(content), REASON)
           for path, content in files.items() if path.endswith(MODEL_SUFFIXES)]
    _update(plan, LOG_FILE, _read(root / LOG_FILE), with_changes(root, log))
    return plan


def _grouped_sections(root: Path, data: dict) -> tuple[str, ...]:
    """The sections of dbt_project.yml whose nodes stay where they are and join the domain by config: seeds
    (any file under seed-paths), snapshots (SQL or YAML under snapshot-paths) and singular tests (SQL under
    test-paths outside its `generic/` folders of test macros), the last under the key the project configures
    its tests with (`tests:`, dbt's older name, or `data_tests:`)."""
    def files(key: str, default: str, suffixes: tuple[str, ...] | None) -> list[PurePosixPath]:
        return [PurePosixPath(path.relative_to(folder)) for name in data.get(key) or [default]
                for folder in [root / str(name)] for path in folder.rglob("*")
                if path.is_file() and (suffixes is None or path.suffix in suffixes)]
    tests = "tests" if "tests" in data and "data_tests" not in data else "data_tests"
    singular = [path for path in files("test-paths", "tests", (".sql",)) if GENERIC not in path.parts]
    return tuple(section for section, found in (
        ("seeds", files("seed-paths", "seeds", None)),
        ("snapshots", files("snapshot-paths", "snapshots", SNAPSHOT_SUFFIXES)),
        (tests, singular)) if found)


def _config_keys(files: dict[str, str]) -> set[str]:
    """The dbt_project.yml keys that name what moves: the folders under models/ and its top-level models."""
    keys = set()
    for path in map(PurePosixPath, files):
        if len(path.parts) > 2:
            keys.add(path.parts[1])
        elif path.suffix in MODEL_SUFFIXES:
            keys.add(path.stem)
    return keys


def _test_folders(root: Path, data: dict) -> set[str]:
    """The folders directly under the test-paths (their config keys also configure singular tests)."""
    folders = set()
    for name in data.get("test-paths") or ["tests"]:
        if (root / str(name)).is_dir():
            folders |= {path.name for path in (root / str(name)).iterdir() if path.is_dir()}
    return folders


def _read_project(root: Path, domain: str) -> tuple[str, dict]:
    """dbt_project.yml's text and data, refused when it is missing, broken or already a mesh's."""
    path = root / PROJECT_FILE
    if not path.is_file():
        raise MeshError(f"no {PROJECT_FILE} in {root}; give the root folder of the dbt project to adopt")
    text = path.read_text(encoding="utf-8")
    data = _parse_yaml(text, PROJECT_FILE)
    if not isinstance(data, dict) or not data.get("name"):
        raise MeshError(f"{PROJECT_FILE} has no project name; is it a dbt project?")
    paths = data.get("model-paths") or [MODELS]
    if [str(p).strip("/") for p in paths] != [MODELS]:
        raise MeshError(f"{PROJECT_FILE} sets model-paths {paths}; mesh adopt works on model-paths: [\"{MODELS}\"]")
    if has_group_config(text):
        raise MeshError(f"{PROJECT_FILE} already sets +group: the project already has domains; mesh adopt is for a "
                        f"plain dbt project")
    if (root / MODELS / domain).exists():
        raise MeshError(f"{MODELS}/{domain}/ exists: the project is already adopted, or has a folder of that name; "
                        f"give the adopted domain another name with --domain NAME")
    if domain in configured_keys(text):
        raise MeshError(f"{PROJECT_FILE} already configures models.{data['name']}.{domain}; give the adopted domain "
                        f"another name with --domain NAME")
    return text, data


def _model_files(root: Path, data: dict) -> dict[str, str]:
    """Every file under models/ (relative path -> text), refused when one is not UTF-8 or its YAML is broken,
    or when a YAML file declares groups (a mesh already)."""
    files = _text_files(root, MODELS)
    for relative, text in files.items():
        if relative.endswith((".yml", ".yaml")):
            parsed = _parse_yaml(text, relative)
            if isinstance(parsed, dict) and parsed.get("groups"):
                raise MeshError(f"{relative} declares dbt groups: the project already has domains; mesh adopt is "
                                f"for a plain dbt project")
    if not any(path.endswith(MODEL_SUFFIXES) for path in files):
        raise MeshError(f"no models under {MODELS}/ in {root}; nothing to adopt")
    return files


def _analysis_files(root: Path, data: dict, domain: str) -> dict[str, str]:
    """Every file under analyses/, to move into `analyses/<domain>/`: dbt takes no group config for an analysis,
    so its folder says whose it is. None when the project keeps its analyses elsewhere or that folder exists."""
    paths = [str(p).strip("/") for p in data.get("analysis-paths") or [ANALYSES]]
    if paths != [ANALYSES] or (root / ANALYSES / domain).exists():
        return {}
    return _text_files(root, ANALYSES)


def _text_files(root: Path, name: str) -> dict[str, str]:
    """Every file under the folder (relative path -> text), refused when one is not UTF-8."""
    folder = root / name
    files = {}
    for path in sorted(path for path in folder.rglob("*") if path.is_file()) if folder.is_dir() else []:
        relative = str(path.relative_to(root))
        try:
            files[relative] = path.read_bytes().decode("utf-8")  # bytes as they are: CRLF line ends stay CRLF
        except UnicodeDecodeError:
            raise MeshError(f"{relative} is not UTF-8 text; mesh adopt moves text files only") from None
    return files


def _check_config(root: Path) -> None:
    from ..check.config import load_config
    from ..check.registry import all_rules

    load_config(root, set(all_rules()))


def _parse_yaml(text: str, where: str):
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = f" line {mark.line + 1}" if mark else ""
        problem = getattr(error, "problem", None) or " ".join(str(error).split())
        raise MeshError(f"{where}{line} is not valid YAML ({problem}); fix it before adopting the project") from None


def _read(path: Path) -> str | None:
    return path.read_text(encoding="utf-8") if path.is_file() else None


def _update(plan: AdoptionPlan, path: str, before: str | None, after: str, in_project: bool = True) -> None:
    """Create the file, or replace it and keep the diff for --dry-run. `path`: relative to the project, or
    (`in_project` False) to the changes' root."""
    path = plan.path(path) if in_project else path
    if before is None:
        plan.changes.create(path, after)
        return
    plan.changes.replace(path, after)
    plan.diffs[path] = "".join(difflib.unified_diff(before.splitlines(keepends=True), after.splitlines(keepends=True),
                                                    f"a/{path}", f"b/{path}"))


def _description(project: str, owner: Owner) -> str:
    return (f"The {project} project's models as they were before the mesh, kept lights-on by {owner.name} and "
            f"handed over, piece by piece, to the domains that should own them. No new work lands here.")


def _group_yml(domain: Domain) -> str:
    return dump_dbt_yaml({"groups": [{
        "name": domain.name,
        # dbt renders the owner's fields and the meta (dump_dbt_yaml escapes them), not the description
        "description": domain.description,
        "owner": {"name": domain.owner_name, "email": domain.owner_email, "team_handle": domain.team_handle},
        "config": {"meta": {"status": domain.status}},
    }]})
