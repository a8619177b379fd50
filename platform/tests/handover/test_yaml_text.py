"""Surgical YAML edits: one entry cut or added, every other byte as it was."""

import pytest

from mesh_platform.errors import MeshError
from mesh_platform.handover import yaml_text

SCHEMA = """version: 2

# the shop's marts
models:
  - name: customers   # one row per customer
    description: Customers.
    columns:
      - name: customer_id
        tests: [unique, not_null]

  # orders: keep this comment
  - name: orders
    description: >-
      Orders, one row each.

  - name: payments
    description: "Payments."
"""


def test_cutting_an_entry_leaves_every_other_byte():
    rest, entry, dash = yaml_text.cut_entry(SCHEMA, "models", "orders", "schema.yml")
    assert "".join(entry) == "  - name: orders\n    description: >-\n      Orders, one row each.\n"
    assert dash == 2
    # its comment stays; the blank line that set it apart from the next entry goes with it
    assert rest == SCHEMA.replace("  - name: orders\n    description: >-\n      Orders, one row each.\n\n", "")


def test_cutting_the_last_entry_keeps_what_follows_the_section():
    text = SCHEMA + "\nsources:\n  - name: raw\n"
    rest, entry, _ = yaml_text.cut_entry(text, "models", "payments", "schema.yml")
    assert "".join(entry) == '  - name: payments\n    description: "Payments."\n'
    assert rest.endswith("\nsources:\n  - name: raw\n") and "payments" not in rest


def test_adding_an_entry_appends_it_reindented_and_keeps_the_rest():
    _, entry, dash = yaml_text.cut_entry(SCHEMA, "models", "customers", "schema.yml")
    target = "models:\n    - name: stg_x\n      description: X.\n# trailing comment\n"
    added = yaml_text.add_entry(target, "models", entry, dash, "target.yml")
    assert added.startswith("models:\n    - name: stg_x\n      description: X.\n")
    assert "    - name: customers   # one row per customer\n      description: Customers.\n" in added
    assert added.endswith("# trailing comment\n")
    assert yaml_text.entry_names(added, "models", "target.yml") == ["stg_x", "customers"]


def test_a_new_file_gets_a_header_and_the_entry():
    _, entry, dash = yaml_text.cut_entry(SCHEMA, "models", "payments", "schema.yml")
    assert yaml_text.add_entry(None, "models", entry, dash, "new.yml") == \
        'version: 2\n\nmodels:\n  - name: payments\n    description: "Payments."\n'


def test_renaming_and_setting_access_touch_only_the_entry():
    _, entry, dash = yaml_text.cut_entry(SCHEMA, "models", "customers", "schema.yml")
    renamed = yaml_text.rename_entry(entry, "customers", "clients")
    assert renamed[0] == "  - name: clients   # one row per customer\n"
    assert renamed[1:] == entry[1:]  # a column named like the model is not renamed
    public = yaml_text.with_key(renamed, dash, "access", "public")
    assert public[1] == "    access: public\n"
    assert yaml_text.with_key(public, dash, "access", "private")[1] == "    access: private\n"


def test_an_emptied_file_is_gone_and_an_emptied_section_becomes_a_list():
    only = "version: 2\nmodels:\n  - name: a\n"
    rest, _, _ = yaml_text.cut_entry(only, "models", "a", "only.yml")
    assert yaml_text.without_empty_section(rest, "models", "only.yml") is None
    both = "version: 2\nmodels:\n  - name: a\nsources:\n  - name: raw\n"
    rest, _, _ = yaml_text.cut_entry(both, "models", "a", "both.yml")
    assert yaml_text.without_empty_section(rest, "models", "both.yml") == \
        "version: 2\nmodels: []\nsources:\n  - name: raw\n"


def test_a_file_that_does_not_parse_is_named():
    with pytest.raises(MeshError, match=r"models/x.yml is not valid YAML \(line 3\)"):
        yaml_text.cut_entry("models:\n  - name: a\n  bad: [\n", "models", "a", "models/x.yml")


def test_a_key_repeated_in_an_entry_is_read_as_dbt_reads_it():
    """dbt's YAML reader keeps the last of a repeated key; a file dbt parses is cut like any other."""
    text = ("sources:\n  - name: app\n    tables:\n      - name: events\n        columns:\n"
            "          - name: id\n            data_type: varchar\n            data_type: varchar\n"
            "  - name: crm\n")
    rest, entry, _ = yaml_text.cut_entry(text, "sources", "app", "_app__sources.yml")
    assert "".join(entry).startswith("  - name: app\n") and rest == "sources:\n  - name: crm\n"


SOURCE = """sources:
  - name: ecom
    schema: raw
    tables:
      - name: raw_orders  # every order
        columns:
          - name: id

      - name: raw_stores
      - name: raw_items
        description: Items.
    meta: {owner: shop}
"""


def test_a_source_entry_is_split_by_table_with_every_other_line_in_both_halves():
    _, entry, _ = yaml_text.cut_entry(SOURCE, "sources", "ecom", "s.yml")
    moving, staying = yaml_text.split_tables(entry, {"raw_orders", "raw_items"}, "s.yml")
    assert "".join(moving) == SOURCE.replace("sources:\n", "").replace("      - name: raw_stores\n", "")
    assert "".join(staying) == ("  - name: ecom\n    schema: raw\n    tables:\n      - name: raw_stores\n"
                                "    meta: {owner: shop}\n")
    with pytest.raises(MeshError, match="no table named raw_shops"):
        yaml_text.split_tables(entry, {"raw_shops"}, "s.yml")


def test_tables_join_the_entry_of_the_same_source_when_it_declares_the_same_keys():
    _, entry, _ = yaml_text.cut_entry(SOURCE, "sources", "ecom", "s.yml")
    moving, _ = yaml_text.split_tables(entry, {"raw_stores"}, "s.yml")
    there = "sources:\n- name: ecom\n  schema: raw\n  tables:\n  - name: raw_items\n  meta: {owner: shop}\n\n# end\n"
    assert yaml_text.merge_tables(there, moving, "d.yml") == there.replace(
        "  - name: raw_items\n", "  - name: raw_items\n  - name: raw_stores\n")
    assert yaml_text.merge_tables(there.replace("schema: raw", "schema: other"), moving, "d.yml") is None
    assert yaml_text.merge_tables("sources:\n  - name: crm\n", moving, "d.yml") is None


def test_reindenting_to_the_left_keeps_blank_lines():
    assert yaml_text.reindent(["    - a\n", "\n", "      b: 1\n"], 4, 2) == ["  - a\n", "\n", "    b: 1\n"]
