"""`mesh domain new`: a domain folder that passes `mesh check` and builds, planned without a dbt parse."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..changeset import Changeset
from ..codeowners import CODEOWNERS_PATH, locate, render_codeowners
from ..domain_files import declared_domains
from ..errors import MeshError
from ..manifest import Domain
from ..names import check_email, check_name, check_team_handle, check_text
from ..writers.jinja import Jinja
from ..writers.yaml import dump_dbt_yaml
from .project_files import configured_domains, with_domain_config
from .render import render

EXAMPLE_TABLE = "examples"


@dataclass(frozen=True)
class NewDomain:
    name: str
    owner: str
    email: str
    team_handle: str
    description: str

    @property
    def source(self) -> str:
        return f"{self.name}_app"


def validate_domain(root: Path, name: str, owner: str, email: str, team_handle: str,
                    description: str | None) -> NewDomain:
    """Every input checked, and the name free in groups, folders and dbt_project.yml; else one MeshError."""
    check_name("domain", name)
    owner = check_text("owner (team name)", owner, limit=100, one_line=True)
    domain = NewDomain(name, owner, check_email(email), check_team_handle(team_handle),
                       check_text("description", description or f"The {owner} team's domain."))
    taken = [f"{folder}/{name}/" for folder in ("models", "seeds", "tests") if (root / folder / name).exists()]
    if name in declared_domains(root):
        taken.append(f"a group named '{name}'")
    if name in configured_domains((root / "dbt_project.yml").read_text(encoding="utf-8")):
        taken.append(f"dbt_project.yml models.{name}")
    if taken:
        raise MeshError(f"domain '{name}' already exists ({', '.join(taken)}); choose another name")
    _check_schemas(root, name)
    return domain


# Schemas the warehouse or the platform keeps for itself: DuckDB's default and catalogs, the SQL standard's and
# PostgreSQL's system schemas, the quality history and the published products' file.
SYSTEM_SCHEMAS = {"main", "information_schema", "pg_catalog", "pg_toast", "temp", "system", "mesh_quality"}


def _check_schemas(root: Path, name: str) -> None:
    """The domain's schema (`<name>`) and raw schema (`raw_<name>`) are its own: neither a system schema nor
    the schema or raw schema of a domain that exists; else one MeshError naming the clash."""
    ours = {name: "its schema", f"raw_{name}": "its raw schema"}
    for schema, what in ours.items():
        if schema in SYSTEM_SCHEMAS or schema.startswith("pg_"):
            raise MeshError(f"domain '{name}': {what} {schema} is a schema the warehouse or the platform keeps "
                            f"for itself; choose another name")
    project_yml = (root / "dbt_project.yml").read_text(encoding="utf-8")
    for domain in sorted(set(declared_domains(root)) | configured_domains(project_yml)):
        theirs = {domain: f"the schema of domain {domain}", f"raw_{domain}": f"the raw schema of domain {domain}"}
        clash = next((schema for schema in ours if schema in theirs), None)
        if clash:
            raise MeshError(f"domain '{name}': {ours[clash]} {clash} is {theirs[clash]}; choose another name")


def raw_schema(root: Path, domain: str) -> str:
    """The schema the domain's seeds land in: `raw_<domain>` under a project macro that keeps custom schema
    names as given (the reference mesh has one), else dbt's default `<target schema>_raw_<domain>`."""
    custom = any("macro generate_schema_name" in path.read_text(encoding="utf-8", errors="replace")
                 for path in (root / "macros").rglob("*.sql")) if (root / "macros").is_dir() else False
    return f"raw_{domain}" if custom else Jinja(f"{{{{ target.schema }}}}_raw_{domain}")


def plan_domain(root: Path, domain: NewDomain) -> Changeset:
    changes = Changeset(root)
    name, source = domain.name, domain.source
    base = f"models/{name}"
    changes.create(f"{base}/_{name}__domain.yml", dump_dbt_yaml({"groups": [{
        "name": name,
        # dbt renders the owner's fields and the meta (dump_dbt_yaml escapes them), not the description
        "description": domain.description,
        "owner": {"name": domain.owner, "email": domain.email, "team_handle": domain.team_handle},
        "config": {"meta": {"status": "active"}},
    }]}))
    changes.create(f"{base}/README.md", render(
        "domain_readme.md", name=name, description=domain.description, owner=domain.owner,
        email=domain.email, team_handle=domain.team_handle, source=source))
    staging = f"{base}/staging/{source}"
    model = f"stg_{source}__{EXAMPLE_TABLE}"
    changes.create(f"{staging}/_{source}__sources.yml", dump_dbt_yaml({"sources": [{
        "name": source, "description": f"The {name} domain's example source system, landed in raw_{name}.",
        "schema": raw_schema(root, name),
        "tables": [{"name": EXAMPLE_TABLE, "identifier": f"{source}__{EXAMPLE_TABLE}",
                    "description": "Example records; replace with the system's real tables."}],
    }]}))
    changes.create(f"{staging}/_{source}__models.yml", dump_dbt_yaml({"models": [{
        "name": model, "description": f"Example records from {source}, one row per record.",
        "columns": [
            {"name": "example_id", "description": "Record identifier.", "data_tests": ["unique", "not_null"]},
            {"name": "example_name", "description": "Name of the record."},
            {"name": "created_at", "description": "When the record was created."},
        ],
    }]}))
    changes.create(f"{staging}/{model}.sql", render("staging_model.sql", source=source, table=EXAMPLE_TABLE))
    for layer in ("intermediate", "marts"):
        changes.create(f"{base}/{layer}/.gitkeep", "")
    changes.create(f"seeds/{name}/{source}__{EXAMPLE_TABLE}.csv", render("example_seed.csv"))
    project_yml = (root / "dbt_project.yml").read_text(encoding="utf-8")
    changes.replace("dbt_project.yml", with_domain_config(project_yml, name))
    owners = {**declared_domains(root), name: Domain(name, domain.owner, domain.email, domain.team_handle,
                                                     domain.description, "active")}
    codeowners = locate(root)
    block = render_codeowners(owners.values(), root, codeowners.read(), changes.makes_folder)
    changes = changes.rooted_at(codeowners.repository)  # CODEOWNERS is at the repository's root
    changes.replace(str(CODEOWNERS_PATH), block)
    return changes


def next_steps(domain: NewDomain) -> list[tuple[str, str]]:
    """(command or sentence, why) for the user to follow."""
    source = domain.source
    return [
        (f"mesh build --domain {domain.name}", f"loads seeds/{domain.name}/ and builds the example staging model"),
        ("mesh check", "the new domain passes every rule"),
        (f"Replace the example: land {source}'s real tables in raw_{domain.name} (or seeds/{domain.name}/) and "
         f"declare them in models/{domain.name}/staging/{source}/, one stg_{source}__<table>s model each", ""),
        (f"mesh product new {domain.name} <product> --from <model> --key <column> --description \"...\"", ""),
    ]
