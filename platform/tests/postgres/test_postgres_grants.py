"""The access agreements enforced by PostgreSQL: the mesh built with its generated grants, then read as a person
in the analytics role. The server itself refuses what no agreement gives; revoking an agreement and rebuilding
takes the access away."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg2
import pytest
from conftest import copy_project

from mesh_platform.build import run_build
from mesh_platform.cli import main
from mesh_platform.dbt_session import DbtSession
from mesh_platform.project import Project

pytestmark = pytest.mark.integration
DATABASE = "mesh_access"  # its own database on the session's server (roles are the server's, shared)
DOMAINS = {"analytics", "collections", "funding", "legacy", "merchants", "partners", "underwriting"}


@dataclass(frozen=True)
class Warehouse:
    root: Path
    environment: dict[str, str]

    def connect(self, user: str = "postgres"):
        env = self.environment
        return psycopg2.connect(host=env["MESH_PG_HOST"], port=int(env["MESH_PG_PORT"]), user=user, dbname=DATABASE)

    def execute(self, sql: str) -> None:
        with self.connect() as connection, connection.cursor() as cursor:
            cursor.execute(sql)

    def read_as(self, user: str, relation: str) -> int:
        """How many rows `user` reads from `relation`; the server's refusal is raised as it comes."""
        connection = self.connect(user)
        try:
            with connection.cursor() as cursor:
                cursor.execute(f"select count(*) from {relation}")
                return cursor.fetchone()[0]
        finally:
            connection.close()

    def build(self, *select: str) -> None:
        report = run_build(DbtSession(Project(self.root), target="postgres"), select=select)
        assert report.ok, [f"{outcome.name}: {outcome.message}" for outcome in report.failures]


@pytest.fixture(scope="module")
def warehouse(postgres_environment, tmp_path_factory) -> Iterator[Warehouse]:
    """The reference mesh built on PostgreSQL with its grants, and two people: one in the analytics role, one in
    the collections role (login users are the test's; the domain roles are the build's own, from the project)."""
    environment = {**postgres_environment, "MESH_PG_DATABASE": DATABASE}
    admin = psycopg2.connect(host=environment["MESH_PG_HOST"], port=int(environment["MESH_PG_PORT"]),
                             user="postgres", dbname="postgres")
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f"create database {DATABASE}")
    admin.close()
    root = copy_project(tmp_path_factory.mktemp("grants") / "mesh")
    with pytest.MonkeyPatch.context() as patch:
        for name, value in environment.items():
            patch.setenv(name, value)
        warehouse = Warehouse(root, environment)
        warehouse.build()
        warehouse.execute("create role ada login in role mesh_analytics; "
                          "create role cole login in role mesh_collections")
        yield warehouse


def test_the_build_creates_one_role_per_domain_none_of_which_can_log_in(warehouse):
    with warehouse.connect() as connection, connection.cursor() as cursor:
        cursor.execute("select rolname, rolcanlogin from pg_roles where rolname like 'mesh\\_%'")
        roles = dict(cursor.fetchall())
    assert roles == {f"mesh_{domain}": False for domain in DOMAINS}


@pytest.mark.parametrize("relation", ["funding.advances_v1", "underwriting.applications_v1",
                                      "collections.advance_performance_daily_v1", "partners.partner_referrals_v1",
                                      "analytics.portfolio_performance_v1", "analytics.int_advances_enriched"])
def test_analytics_reads_the_products_it_has_agreements_for_and_its_own_models(warehouse, relation):
    assert warehouse.read_as("ada", relation) > 0


@pytest.mark.parametrize(("relation", "refusal"), [
    ("raw_merchants.crm__merchants", "permission denied for schema raw_merchants"),  # raw data, personal in clear
    ("funding.int_advances_priced", "permission denied for view int_advances_priced"),  # private to funding
    ("partners.merchant_daily_takings_v1", "permission denied for table merchant_daily_takings_v1"),  # no agreement
    ("merchants.merchants_v1", "permission denied for schema merchants"),  # no agreement with merchants at all
])
def test_the_server_refuses_analytics_what_no_agreement_gives(warehouse, relation, refusal):
    with pytest.raises(psycopg2.errors.InsufficientPrivilege) as refused:
        warehouse.read_as("ada", relation)
    assert str(refusal) in str(refused.value)


def test_revoking_an_agreement_and_rebuilding_takes_the_access_away(warehouse):
    """Last in the module: it changes the agreements. A table (advances) and an incremental product
    (advance_performance_daily, whose existing grants dbt revokes) both lose analytics' access."""
    for agreement in ("analytics__advances", "analytics__advance_performance_daily"):
        assert main(["access", "revoke", agreement, "--by", "owner@lender.example",
                     "--project-dir", str(warehouse.root)]) == 0
    warehouse.build("advances+")  # on PostgreSQL a table rebuilt drops the views on it: they are rebuilt too
    for relation in ("funding.advances_v1", "collections.advance_performance_daily_v1"):
        with pytest.raises(psycopg2.errors.InsufficientPrivilege, match="permission denied for table"):
            warehouse.read_as("ada", relation)
    assert warehouse.read_as("cole", "funding.advances_v1") > 0  # collections' own agreement still holds
    assert warehouse.read_as("ada", "underwriting.applications_v1") > 0
