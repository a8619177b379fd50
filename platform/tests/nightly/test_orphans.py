"""A relation no node builds any more is dropped from the platform's schemas (a removed test's stored failures
too); other schemas are never touched."""

import json

import pytest
from conftest import execute, query

from mesh_platform.dbt_session import DbtSession
from mesh_platform.nightly.orphans import drop_orphans
from mesh_platform.project import Project

pytestmark = pytest.mark.integration


def tables(root) -> set[str]:
    return {f"{schema}.{name}" for schema, name in query(
        root, "select table_schema, table_name from information_schema.tables")}


def test_a_removed_product_leaves_nothing_behind_and_foreign_schemas_are_untouched(built_copy):
    execute(built_copy, "create table funding.advances_v0 as select * from funding.advances_v1")  # a retired version
    execute(built_copy, "create view merchants.old_contacts as select email from merchants.stg_crm__merchants")
    execute(built_copy, "create table funding_audit.unique_retired as select 'ADV00001' as unique_field")  # a
    # removed test's stored failures
    execute(built_copy, "create table main.someone_elses as select 1 as x")  # the target's default schema
    execute(built_copy, "create schema tooling; create table tooling.kept as select 1 as x")  # not the platform's
    before = tables(built_copy)
    session = DbtSession(Project(built_copy))
    mesh = session.mesh()

    found = drop_orphans(session, mesh, dry_run=True)
    assert sorted((o.relation, o.domain) for o in found) == [("funding.advances_v0", "funding"),
                                                            ("funding_audit.unique_retired", "funding"),
                                                            ("merchants.old_contacts", "merchants")]
    assert tables(built_copy) == before  # a dry run drops nothing

    found.sort(key=lambda orphan: orphan.relation)
    spared = drop_orphans(session, mesh, spared={"merchants"})  # a quarantined domain is spared
    assert sorted(spared, key=lambda orphan: orphan.relation) == found[:2]
    assert drop_orphans(session, mesh) == [found[2]]
    assert tables(built_copy) == before - {"funding.advances_v0", "funding_audit.unique_retired",
                                           "merchants.old_contacts"}
    assert {"main.someone_elses", "tooling.kept", "funding.advances_v1", "merchants.merchants_v1",
            "funding_audit.unique_stg_disbursements__advances_advance_id"} <= tables(built_copy)


def test_the_nightly_drops_what_no_node_builds_and_reports_it_to_the_domain(built_copy):
    from mesh_platform.cli import main

    execute(built_copy, "create table funding.advances_v0 as select * from funding.advances_v1")
    assert main(["nightly", "--quiet", "--project-dir", str(built_copy)]) == 0
    assert "funding.advances_v0" not in tables(built_copy)
    nightly = built_copy / "target" / "nightly"
    summary = json.loads((nightly / (nightly / "LATEST").read_text().strip() / "summary.json").read_text())
    orphans = [item for item in summary["domains"]["funding"]["items"] if item["kind"] == "orphan"]
    assert [(item["name"], item["status"]) for item in orphans] == [("funding.advances_v0", "warned")]
    assert summary["domains"]["funding"]["status"] == "passed"
