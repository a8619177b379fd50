"""Small hand-written manifests for unit tests of the platform's rules and reports."""

SMALL_MANIFEST = {
    "groups": {
        "group.p.sales": {"name": "sales", "description": "Sales\n  team.",
                          "owner": {"name": "Sales", "email": "s@x.example", "team_handle": "@x/sales"},
                          "config": {"meta": {"status": "active"}}},
        "group.p.ops": {"name": "ops", "owner": {"name": "Ops"}},
    },
    "nodes": {
        "model.p.orders": {"resource_type": "model", "name": "orders", "version": 1, "group": "sales",
                           "access": "public", "original_file_path": "models/sales/marts/orders.sql"},
        "model.p.stg_orders": {"resource_type": "model", "name": "stg_orders", "group": "sales",
                               "access": "private", "original_file_path": "models/sales/staging/stg_orders.sql"},
        "model.p.loose": {"resource_type": "model", "name": "loose", "config": {"group": "ops"},
                          "original_file_path": "models/ops/loose.sql"},
        "test.p.unique_orders_id": {"resource_type": "test", "name": "unique_orders_id",
                                    "attached_node": "model.p.orders", "original_file_path": "models/x.yml"},
        "test.p.assert_ops": {"resource_type": "test", "name": "assert_ops",
                              "original_file_path": "tests/ops/assert_ops.sql"},
        "test.p.assert_nowhere": {"resource_type": "test", "name": "assert_nowhere",
                                  "original_file_path": "tests/assert_nowhere.sql"},
    },
}


def group(name: str, owner: dict | None = None) -> dict:
    owner = {"name": name.title(), "email": f"{name}@x.example", "team_handle": f"@x/{name}"} \
        if owner is None else owner
    return {"unique_id": f"group.p.{name}", "name": name, "owner": owner,
            "original_file_path": f"models/{name}/_{name}__domain.yml", "config": {"meta": {}}}


def model(name: str, domain: str, layer: str = "marts", *, access: str | None = None, parents=(),
          version=None, columns=None, path: str | None = None, group_name: str | None = None, **extra) -> dict:
    """A model node as dbt writes it to manifest.json; `group_name` overrides the folder's group."""
    folder = f"models/{domain}/{layer}/" if layer else f"models/{domain}/"
    access = access or {"staging": "private", "intermediate": "private"}.get(layer, "protected")
    uid = f"model.p.{name}" + (f".v{version}" if version is not None else "")
    return {"unique_id": uid, "resource_type": "model", "name": name, "version": version,
            "group": group_name or domain, "access": access,
            "original_file_path": path or f"{folder}{name}.sql", "depends_on": {"nodes": list(parents)},
            "columns": columns or {}, "config": {"group": group_name or domain, "access": access, "meta": {},
                                                 "contract": {"enforced": False}},
            "relation_name": f'"db"."{domain}"."{name}"', **extra}


def source(source_name: str, table: str, domain: str, columns=None) -> dict:
    return {"unique_id": f"source.p.{source_name}.{table}", "resource_type": "source", "name": table,
            "source_name": source_name, "original_file_path": f"models/{domain}/staging/{source_name}/_s.yml",
            "relation_name": f'"db"."raw_{domain}"."{source_name}__{table}"', "columns": columns or {}}


def data_test(name: str, kind: str, attached: str, column: str | None = None, parents=None, **extra) -> dict:
    return {"unique_id": f"test.p.{name}", "resource_type": "test", "name": name, "attached_node": attached,
            "test_metadata": {"name": kind, "kwargs": {"column_name": column}},
            "depends_on": {"nodes": list(parents or [attached])}, "original_file_path": "models/x.yml",
            "config": {}, **extra}


def manifest(*nodes: dict, groups=("sales", "ops"), sources=()) -> dict:
    return {"metadata": {"adapter_type": "duckdb"},
            "groups": {g["unique_id"]: g for g in (group(n) if isinstance(n, str) else n for n in groups)},
            "nodes": {node["unique_id"]: node for node in nodes},
            "sources": {s["unique_id"]: s for s in sources}}


def good_product(name: str = "orders", domain: str = "sales", **overrides) -> list[dict]:
    """A public model that satisfies every product rule, with its key tests."""
    columns = {"order_id": {"name": "order_id", "data_type": "varchar", "description": "Key.",
                            "constraints": [{"type": "primary_key"}], "config": {"meta": {}}},
               "amount": {"name": "amount", "data_type": "decimal(12,2)", "description": "Amount.",
                          "constraints": [], "config": {"meta": {}}}}
    product = model(name, domain, access="public", version=1, columns=columns,
                    description="One row per order.", **overrides)
    product["config"]["contract"] = {"enforced": True}
    product["config"]["meta"] = {"sla": {"max_staleness_hours": 24}}
    uid = product["unique_id"]
    return [product, data_test(f"unique_{name}", "unique", uid, "order_id"),
            data_test(f"not_null_{name}", "not_null", uid, "order_id")]
