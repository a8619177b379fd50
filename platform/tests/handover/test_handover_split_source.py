"""`mesh handover` of staging models that read a source shared with models staying behind (jaffle-shop's one
`ecom` entry of every raw table): the entry is split by table, the tables only the moved models read go into an
entry of the same name in the destination's folder, the rest stay; no `source()` call changes, and the result
builds and passes `mesh check`. A table read by both sides is a blocker."""

from __future__ import annotations

from pathlib import Path

import pytest
from outside_project import adopted_with_sales, mesh

pytestmark = pytest.mark.integration

SOURCES = """version: 2

sources:
  - name: ecom
    schema: main
    description: The shop's raw tables.
    tables:
      - name: raw_orders
        description: One row per order.
        columns:
          - name: id
            data_tests: [not_null]

      - name: raw_customers
      - name: raw_stores  # the shops
        description: One row per store.
"""
FILES = {
    "dbt_project.yml": "name: deli\nversion: '1.0'\nconfig-version: 2\nprofile: deli\n"
                       "flags:\n  send_anonymous_usage_stats: false\n"
                       "models:\n  deli:\n    staging:\n      +materialized: view\n    marts:\n"
                       "      +materialized: table\n",
    "profiles.yml": "deli:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n      path: deli.duckdb\n",
    "seeds/raw_orders.csv": "id,customer_id,store_id\n1,10,100\n2,11,100\n",
    "seeds/raw_customers.csv": "id,name\n10,Ann\n11,Bob\n",
    "seeds/raw_stores.csv": "id,city\n100,Leeds\n",
    "models/staging/__sources.yml": SOURCES,
    "models/staging/stg_orders.sql": "select id as order_id, customer_id from {{ source('ecom', 'raw_orders') }}\n",
    "models/staging/stg_customers.sql": "select id as customer_id, name from {{ source('ecom', 'raw_customers') }}\n",
    "models/staging/stg_stores.sql": "select id as store_id, city from {{ source('ecom', 'raw_stores') }}\n",
    "models/marts/customer_orders.sql": "select c.customer_id, count(o.order_id) as orders\n"
                                        "from {{ ref('stg_customers') }} c left join {{ ref('stg_orders') }} o\n"
                                        "  on o.customer_id = c.customer_id\ngroup by 1\n",
    "models/marts/stores.sql": "select * from {{ ref('stg_stores') }}\n",
}
STORES_READ_ORDERS = "select s.id as store_id, s.city, count(o.id) as orders\n" \
                     "from {{ source('ecom', 'raw_stores') }} s\n" \
                     "left join {{ source('ecom', 'raw_orders') }} o on o.store_id = s.id group by 1, 2\n"


def deli(root: Path, **overrides: str) -> Path:
    return adopted_with_sales(root, {**FILES, **overrides})


def test_the_tables_only_the_moved_models_read_move_in_an_entry_of_the_same_name(tmp_path):
    root = deli(tmp_path / "deli")
    legacy_sources, sales_sources = (root / "models/legacy/staging/__sources.yml",
                                     root / "models/sales/staging/__sources.yml")
    handover = ("handover", "customer_orders", "--to", "sales", "--with-upstream", "--project-dir", root)

    code, out, err = mesh(*handover, "--dry-run")
    assert code == 0, err
    assert ("split source ecom (models/legacy/staging/__sources.yml) by table: raw_orders, raw_customers move to "
            "models/sales/staging/__sources.yml (same source name: no source() changes), raw_stores stays") in out
    assert "warning: source" not in out and not sales_sources.exists()

    code, out, err = mesh(*handover)
    assert code == 0, err
    head = SOURCES[:SOURCES.index("      - name: raw_orders")]
    # the table's lines as they were (its tests, the blank line that set it apart go with it), nothing else
    assert legacy_sources.read_text() == head + SOURCES[SOURCES.index("      - name: raw_stores"):]
    assert sales_sources.read_text() == head + SOURCES[SOURCES.index("      - name: raw_orders"):
                                                       SOURCES.index("      - name: raw_stores")]
    for name in ("stg_orders", "stg_customers"):  # their SQL unchanged
        assert (root / f"models/sales/staging/{name}.sql").read_text() == FILES[f"models/staging/{name}.sql"]
    assert mesh("build", "--project-dir", root)[0] == 0
    code, out, _ = mesh("check", "--project-dir", root)
    assert code == 0, out
    assert "ACC003" not in out

    # the last table follows later: it joins the entry already there, and legacy's file, emptied, goes
    code, out, err = mesh("handover", "stores", "--to", "sales", "--with-upstream", "--project-dir", root)
    assert code == 0, err
    assert not legacy_sources.exists()
    assert sales_sources.read_text() == SOURCES
    assert mesh("check", "--project-dir", root)[0] == 0


def test_a_table_that_a_model_staying_behind_reads_too_is_a_blocker(tmp_path):
    root = deli(tmp_path / "deli", **{"models/staging/stg_stores.sql": STORES_READ_ORDERS})
    before = (root / "models/legacy/staging/__sources.yml").read_text()

    code, _, err = mesh("handover", "customer_orders", "--to", "sales", "--with-upstream", "--project-dir", root)

    assert code != 0
    assert len(err.strip().splitlines()) == 1
    assert "source table ecom.raw_orders (models/legacy/staging/__sources.yml) is read by stg_orders, which moves, " \
           "and by stg_stores, which stays: hand stg_stores over too (--shared move)" in err
    assert (root / "models/legacy/staging/__sources.yml").read_text() == before
    assert (root / "models/legacy/staging/stg_orders.sql").exists()
