"""`mesh publish`: what CI shares holds the public products only, personal data masked; never raw data."""

import duckdb
import pytest

from mesh_platform.cli import main

pytestmark = pytest.mark.integration

LEAKY_SQL = "select merchant_id, lower(email) as contact from {{ ref('int_merchants_deduplicated') }}\n"
LEAKY_YML = """\
models:
  - name: merchant_contacts
    description: Contacts.
    access: public
    latest_version: 1
    config: {contract: {enforced: true}, meta: {sla: {max_staleness_hours: 24}}}
    columns:
      - {name: merchant_id, data_type: varchar, description: Key., constraints: [{type: primary_key}]}
      - {name: contact, data_type: varchar, description: Contact.}
    versions: [{v: 1}]
"""


def test_the_published_file_holds_the_products_alone_masked(built_copy, capsys, tmp_path):
    output = tmp_path / "products.duckdb"
    assert main(["publish", "--output", str(output), "--project-dir", str(built_copy)]) == 0
    assert "public products only" in capsys.readouterr().out
    with duckdb.connect(str(output), read_only=True) as connection:
        tables = {f"{s}.{t}" for s, t in connection.sql(
            "select table_schema, table_name from information_schema.tables").fetchall()}
        emails = connection.sql("select email_hash from merchants.merchants_v1").fetchall()
    assert {"merchants.merchants_v1", "funding.advances_v1", "analytics.portfolio_performance_v1"} <= tables
    assert not any(t.startswith("raw_") or ".stg_" in t or ".int_" in t for t in tables)
    assert emails and all(len(value) == 64 and "@" not in value for (value,) in emails)
    assert not [path for path in tmp_path.iterdir() if "partial" in path.name]  # nothing half-written beside it


def test_nothing_is_published_while_a_product_leaks_personal_data(built_copy, capsys, tmp_path):
    marts = built_copy / "models" / "merchants" / "marts"
    (marts / "merchant_contacts.sql").write_text(LEAKY_SQL)
    (marts / "merchant_contacts.yml").write_text(LEAKY_YML)
    output = tmp_path / "products.duckdb"
    assert main(["publish", "--output", str(output), "--project-dir", str(built_copy)]) == 2
    err = capsys.readouterr().err
    assert "not published: products publish personal data unmasked (merchant_contacts.v1: contact)" in err
    assert not output.exists()
