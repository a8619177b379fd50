"""Reading a contract written by hand (not exported here): what the product is built from and what it leaves
in the contract. No dbt."""

import yaml

from mesh_platform.contracts.importer import read_contract
from mesh_platform.contracts.validation import schema_problem
from mesh_platform.manifest import Domain
from mesh_platform.scaffold.from_contract import plan_from_contract

HANDWRITTEN = """
apiVersion: v3.0.2
kind: DataContract
id: 53581432-6c55-4ba2-a65f-72344a91553a
name: Tickets
version: "2"
status: active
domain: support
description:
  purpose: Every support ticket merchants opened, one row per ticket.
  usage: Complaint handling.
servers:
  - server: production
    type: duckdb
    database: warehouse/mesh.duckdb
schema:
  - name: tickets
    properties:
      - name: ticket_id
        logicalType: string
        description: Ticket identifier.
        primaryKey: true
      - name: opened_at
        logicalType: timestamp
        description: When the ticket was opened.
        required: true
        examples: ["2026-01-02 10:00:00"]
      - name: amount_disputed
        physicalType: DECIMAL(10, 2)
        logicalType: number
        description: Amount in dispute, in GBP.
        quality:
          - type: custom
            engine: great-expectations
            implementation: |
              type: expect_column_values_to_be_between
              kwargs: {min_value: 0}
          - type: sql
            query: SELECT COUNT(*) FROM ${table} WHERE NOT (amount_disputed >= 0)
            mustBe: 0
            severity: error
      - name: contact_email_hash
        physicalType: varchar
        logicalType: string
        description: Contact e-mail, masked.
        unique: true
        customProperties:
          - {property: pii, value: true}
          - {property: masked, value: true}
          - {property: steward, value: someone}
    quality:
      - type: custom
        engine: greatExpectations
        description: At least one ticket a day.
        dimension: completeness
        implementation: {type: expect_table_row_count_to_be_between, kwargs: {min_value: 1}}
slaProperties:
  - {property: latency, value: 2, unit: d}
  - {property: retention, value: 3, unit: y}
roles:
  - role: support_reader
"""


def test_a_handwritten_contract_gives_the_product_and_names_what_stays_behind(tmp_path):
    path = tmp_path / "tickets.yaml"
    path.write_text(HANDWRITTEN)
    contract = read_contract(path, "tickets.yaml")
    assert (contract.name, contract.domain, contract.version, contract.key) == ("Tickets", "support", 2, "ticket_id")
    assert [(c.name, c.data_type) for c in contract.columns] == [
        ("ticket_id", "varchar"), ("opened_at", "timestamp"), ("amount_disputed", "DECIMAL(10, 2)"),
        ("contact_email_hash", "varchar")]
    assert contract.columns[2].checks == ("amount_disputed >= 0",)
    assert contract.sla == {"max_staleness_hours": 48, "retention": 3}
    assert [(spec.type, spec.kwargs, notes) for spec, notes in contract.expectations] == [
        ("expect_table_row_count_to_be_between", {"min_value": 1}, "At least one ticket a day."),
        ("expect_column_values_to_be_between", {"min_value": 0, "column": "amount_disputed"}, "")]
    assert contract.kept_out == ("servers", "roles", "schema[0].properties[1].examples",
                                 "schema[0].properties[2].quality[1].severity",
                                 "schema[0].properties[3].customProperties[2]", "schema[0].quality[0].dimension",
                                 "slaProperties[1].unit")

    support = Domain("support", "Customer Support", "support@lender.example", "@lender/support", "", "active")
    changes = plan_from_contract(tmp_path, support, "tickets", contract)
    model = yaml.safe_load(changes.created["models/support/marts/tickets.yml"])["models"][0]
    assert (model["latest_version"], model["versions"], model["config"]["meta"]) == \
        (2, [{"v": 2}], {"sla": {"max_staleness_hours": 48, "retention": 3}})
    columns = {column["name"]: column for column in model["columns"]}
    assert columns["ticket_id"]["constraints"] == [{"type": "primary_key"}]
    assert columns["ticket_id"]["data_tests"] == ["unique", "not_null"]
    assert columns["opened_at"]["constraints"] == [{"type": "not_null"}] and "data_tests" not in columns["opened_at"]
    assert columns["amount_disputed"]["constraints"] == [{"type": "check", "expression": "amount_disputed >= 0"}]
    assert columns["contact_email_hash"]["data_tests"] == ["unique", "pii_masked"]
    assert columns["contact_email_hash"]["config"] == {"meta": {"pii": True, "masked": True}}
    sql = changes.created["models/support/marts/tickets.sql"]
    assert "    cast(null as decimal(10, 2)) as amount_disputed,\n" in sql
    assert "    {{ mask_pii('cast(null as varchar)') }} as contact_email_hash\n" in sql
    suite = yaml.safe_load(changes.created["models/support/marts/tickets.quality.yml"])["expectations"]
    assert suite[1] == {"type": "expect_column_values_to_be_between",
                        "kwargs": {"min_value": 0, "column": "amount_disputed"}}


def test_schema_problems_name_the_place_and_a_valid_document_has_none():
    document = {"apiVersion": "v3.2.0", "kind": "DataContract", "id": "x", "version": "1"}
    assert schema_problem(document) is None
    wrong = {"name": "a", "logicalType": "string", "unique": 1}
    assert schema_problem({**document, "schema": [{"name": "t", "properties": [wrong]}]}) == \
        "at schema[0].properties[0].unique: 1 is not of type 'boolean'"
    assert schema_problem({key: value for key, value in document.items() if key != "id"}) == \
        "at the top level: 'id' is a required property"
    assert schema_problem({**document, "schema": [{"name": "t", "properties": [{"name": "a"}]}]}) == \
        "at schema[0].properties[0]: no logicalType (the schema needs one on every property: string, integer, " \
        "number, date, ...)"
