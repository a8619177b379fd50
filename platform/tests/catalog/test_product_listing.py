"""`mesh products` and `mesh product show`: a new team finds a product, its owner and the ref() to use, from the
terminal."""

from __future__ import annotations

import json

import pytest

from mesh_platform.cli import main

pytestmark = pytest.mark.integration


def listing(root, capsys, *options) -> list[dict]:
    assert main(["products", "--format", "json", "--project-dir", str(root), *options]) == 0
    return json.loads(capsys.readouterr().out)


def test_every_product_with_its_owner_version_and_the_ref_to_use(built_mesh, capsys):
    root, _ = built_mesh
    entries = {entry["name"]: entry for entry in listing(root, capsys)}
    repayments = entries["repayments"]
    assert repayments["domain"] == "collections" and repayments["owner"] == "Collections"
    assert repayments["contact"] and repayments["team_handle"] == "@lender/collections"
    assert repayments["version"] == "1" and repayments["ref"] == "ref('repayments', v=1)"
    assert "funnel.v1 (analytics)" in entries["advances"]["consumers"]
    assert "repayments.v1 (collections)" in entries["advances"]["consumers"]
    assert {entry["domain"] for entry in entries.values()} >= {"collections", "funding", "analytics"}


def test_narrowed_to_a_domain_and_refusing_an_unknown_one(built_mesh, capsys):
    root, _ = built_mesh
    assert {entry["name"] for entry in listing(root, capsys, "--domain", "collections")} == {
        "advance_performance_daily", "repayments"}
    assert main(["products", "--domain", "finance", "--project-dir", str(root)]) == 2
    assert capsys.readouterr().err.startswith("mesh: unknown domain 'finance'")


def test_the_table_names_owner_and_ref_and_product_list_is_the_same_command(built_mesh, capsys):
    root, _ = built_mesh
    assert main(["product", "list", "--domain", "collections", "--project-dir", str(root)]) == 0
    table = capsys.readouterr().out
    assert "repayments" in table and "Collections" in table and "{{ ref('repayments', v=1) }}" in table


def test_show_gives_the_contract_and_marks_personal_data(built_mesh, capsys):
    root, _ = built_mesh
    assert main(["product", "show", "merchants", "--format", "json", "--project-dir", str(root)]) == 0
    entry = json.loads(capsys.readouterr().out)
    columns = {column["name"]: column for column in entry["columns"]}
    assert columns and all(column["data_type"] for column in columns.values())
    masked = [name for name, column in columns.items() if column["personal_data"]]
    assert masked and all(columns[name]["masked"] for name in masked)


def test_show_suggests_the_product_meant(built_mesh, capsys):
    root, _ = built_mesh
    assert main(["product", "show", "repayment", "--project-dir", str(root)]) == 2
    err = capsys.readouterr().err
    assert err == "mesh: unknown data product 'repayment'; did you mean repayments, repayment_curves?\n"


def test_before_any_build_it_says_what_is_not_known_yet(project_copy, capsys):
    entries = listing(project_copy, capsys)
    assert entries and all(entry["quality"] == "not run" for entry in entries)
    assert main(["products", "--project-dir", str(project_copy)]) == 0
    assert "holds no run of the product's suite (`mesh quality`)" in capsys.readouterr().out
