"""PII001 and PII002 on small compiled manifests: personal data followed through renames and transformations,
stopped only by the masking function; what cannot be followed is said."""

import pytest
from fixture_manifests import manifest, model, source

from mesh_platform.check.context import CheckContext
from mesh_platform.check.registry import all_rules

RAW = '"db"."raw_sales"."crm__people"'
STAGING = f"with s as (select * from {RAW}) select id, email, phone, name, city from s"


def people(columns=("id", "email", "phone", "name", "city")) -> dict:
    tagged = {"email", "phone", "name"}
    return source("crm", "people", "sales", columns={
        column: {"name": column, "config": {"meta": {"pii": column in tagged}}} for column in columns})


def staged(**extra) -> dict:
    return model("stg_crm__people", "sales", "staging", parents=["source.p.crm.people"],
                 compiled_code=STAGING, **extra)


def product(sql: str, parents=("model.p.stg_crm__people",), **extra) -> dict:
    return model("contacts", "sales", access="public", version=1, parents=list(parents), compiled_code=sql,
                 columns={"id": {"name": "id"}}, **extra)


def findings(code: str, *nodes, warehouse=None) -> list:
    ctx = CheckContext(manifest(*nodes, sources=[people()]), warehouse=(lambda: warehouse) if warehouse else None)
    return list(all_rules()[code].check(ctx))


STG = '"db"."sales"."stg_crm__people"'


@pytest.mark.parametrize("sql, column", [
    (f"select id, email as contact_email from {STG}", "contact_email"),
    (f"select id, upper(email) as contact from {STG}", "contact"),
    (f"select id, replace(phone, ' ', '') as dial from {STG}", "dial"),
    (f"select id, name || '' as person from {STG}", "person"),
    (f"select id, mesh_pii_mask(email) || email as half_masked from {STG}", "half_masked"),
])
def test_personal_data_renamed_or_transformed_into_a_product_is_caught(sql, column):
    found = findings("PII001", staged(), product(sql))
    assert [(v.node, v.related) for v in found] == [("model.p.contacts.v1", column)]
    assert "email of stg_crm__people" in found[0].message or "of stg_crm__people" in found[0].message


def test_through_an_untagged_intermediate_model_that_renames_it():
    renamed = model("int_people_renamed", "sales", "intermediate", parents=["model.p.stg_crm__people"],
                    compiled_code=f"select id, email as contact_email from {STG}")
    sql = 'select id, contact_email from "db"."sales"."int_people_renamed"'
    found = findings("PII001", staged(), renamed, product(sql, parents=["model.p.int_people_renamed"]))
    assert [v.related for v in found] == ["contact_email"]
    assert "contact_email of int_people_renamed" in found[0].message


def test_masked_columns_and_other_columns_pass():
    sql = f"select id, city, mesh_pii_mask(cast(email as varchar)) as email_hash from {STG}"
    assert findings("PII001", staged(), product(sql)) == []
    assert findings("PII002", staged(), product(sql)) == []


def test_a_product_reading_personal_data_by_its_raw_name_is_followed_too():
    sql = f"select id, email from {RAW}"
    found = findings("PII001", staged(), product(sql, parents=()))
    assert [v.related for v in found] == ["email"]


def test_lineage_that_cannot_be_followed_is_a_warning():
    sql = f'select * from {STG} join "db"."sales"."other" using (id)'
    found = findings("PII002", staged(), product(sql))
    assert [(v.node, v.code) for v in found] == [("model.p.contacts.v1", "PII002")]
    assert "cannot be followed" in found[0].message
    assert all_rules()["PII002"].severity == "warn"


def test_the_warehouse_columns_expand_a_star_over_a_join():
    sql = f'select * from {STG} join "db"."sales"."other" using (id)'
    warehouse = {"sales.stg_crm__people": dict.fromkeys(("id", "email", "phone", "name", "city"), "varchar"),
                 "sales.other": {"id": "varchar", "score": "int"}}
    assert findings("PII002", staged(), product(sql), warehouse=warehouse) == []
    assert {v.related for v in findings("PII001", staged(), product(sql), warehouse=warehouse)} == {
        "email", "phone", "name"}


def test_without_compiled_sql_only_names_count():
    plain = model("contacts", "sales", access="public", version=1, parents=["model.p.stg_crm__people"],
                  columns={"email": {"name": "email"}})
    stg = model("stg_crm__people", "sales", "staging", parents=["source.p.crm.people"],
                columns={"email": {"name": "email", "config": {"meta": {"pii": True}}}})
    assert [v.related for v in findings("PII001", stg, plain)] == ["email"]
    assert findings("PII002", stg, plain) == []
