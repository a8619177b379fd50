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
