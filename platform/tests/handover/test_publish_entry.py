"""A shared model published where it is: its YAML entry becomes a product's (typed, keyed, versioned), its own
comments kept, and every other byte of the file stays."""

from pathlib import Path

from ruamel.yaml import YAML

from mesh_platform.handover.publish import Published, product_entry

STAGING = Path(__file__).resolve().parents[1] / "fixtures" / "shop" / "models" / "staging" / "schema.yml"
PAYMENTS = Published("stg_payments", "legacy", "model.shop.stg_payments", "schema.yml", "payment_id",
                     (("payment_id", "integer"), ("order_id", "integer"), ("payment_method", "varchar"),
                      ("amount", "double")), "main.stg_payments_v1")


def test_the_entry_becomes_a_products_and_the_rest_of_the_file_keeps_its_bytes():
    text = STAGING.read_text()
    edited = product_entry(text, PAYMENTS, "schema.yml")
    start = text.index("  - name: stg_payments")
    assert edited[:start] == text[:start]  # the entries before it, comments and blank lines included
    assert "# the four the checkout offers" in edited[start:]
    entry = next(item for item in YAML().load(edited)["models"] if item["name"] == "stg_payments")
    assert entry["access"] == "public" and entry["latest_version"] == 1 and entry["versions"] == [{"v": 1}]
    assert entry["config"]["contract"] == {"enforced": True} and entry["config"]["meta"]["sla"]["max_staleness_hours"]
    columns = {column["name"]: column for column in entry["columns"]}
    assert [column["data_type"] for column in columns.values()] == ["integer", "varchar", "integer", "double"]
    assert columns["payment_id"]["constraints"] == [{"type": "primary_key"}]
    assert columns["payment_id"]["tests"] == ["unique", "not_null"]  # its tests stay
    assert product_entry(edited, PAYMENTS, "schema.yml") == edited  # done twice, the same
