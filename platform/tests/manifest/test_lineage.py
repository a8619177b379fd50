"""Column lineage over compiled SQL: renames, expressions, CTEs, subqueries, unions, stars, masking."""

import pytest

from mesh_platform.manifest.lineage import trace

MASKS = {"mesh_pii_mask"}
SCHEMA = {"raw.people": {"id": "int", "email": "varchar", "phone": "varchar", "name": "varchar"},
          "raw.orders": {"id": "int", "person_id": "int", "amount": "int"}}


def reads(sql, schema=SCHEMA):
    traced = trace(sql, "duckdb", schema, MASKS)
    assert traced.problem is None
    return {column: (sorted(origin.reads), sorted(origin.masked), bool(origin.unknown))
            for column, origin in traced.columns.items()}


@pytest.mark.parametrize("sql, column, expected", [
    ('select email as contact_email from "db"."raw"."people"', "contact_email", [("raw.people", "email")]),
    ("select upper(email) as contact from raw.people", "contact", [("raw.people", "email")]),
    ("select replace(phone, ' ', '') as dial from raw.people", "dial", [("raw.people", "phone")]),
    ("select name || '' as person from raw.people", "person", [("raw.people", "name")]),
    ("with p as (select email as e from raw.people) select e as x from p", "x", [("raw.people", "email")]),
    ("select x from (select lower(email) as x from raw.people) s", "x", [("raw.people", "email")]),
    ("select email as v from raw.people union all select phone as v from raw.people", "v",
     [("raw.people", "email"), ("raw.people", "phone")]),
    ("select o.amount, p.email from raw.orders o join raw.people p on o.person_id = p.id", "email",
     [("raw.people", "email")]),
    ("select (select max(email) from raw.people) as top", "top", [("raw.people", "email")]),
])
def test_a_column_reads_what_it_is_computed_from(sql, column, expected):
    assert reads(sql)[column][0] == expected


def test_a_star_is_expanded_from_the_known_columns():
    found = reads("with s as (select * from raw.people) select * from s")
    assert sorted(found) == ["email", "id", "name", "phone"] and found["email"][0] == [("raw.people", "email")]


def test_a_star_over_one_relation_of_unknown_columns_is_followed_by_name():
    found = reads("with s as (select * from raw.unknown) select cast(email as varchar) as email, id from s", {})
    assert found["email"] == ([("raw.unknown", "email")], [], False)


def test_a_star_over_a_join_of_unknown_columns_is_unknown_not_nothing():
    found = reads("with s as (select * from raw.a join raw.b using (id)) select email from s", {})
    assert found["email"][2] is True and found["email"][0] == []


def test_masking_stops_personal_data_and_only_where_it_wraps_it():
    found = reads("select mesh_pii_mask(email) as e_hash, mesh_pii_mask(email) || email as leak, "
                  "mesh_pii_mask(cast(phone as varchar)) as p_hash from raw.people")
    assert found["e_hash"] == ([], [("raw.people", "email")], False)
    assert found["p_hash"] == ([], [("raw.people", "phone")], False)
    assert found["leak"][0] == [("raw.people", "email")]


def test_an_ambiguous_column_is_unknown():
    found = reads("select id from raw.orders, raw.people", {})
    assert found["id"][2] is True


def test_sql_no_parser_reads_is_a_problem_not_an_empty_lineage():
    assert trace("select from from where", "duckdb", {}, MASKS).problem
