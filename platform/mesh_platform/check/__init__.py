"""`mesh check`: governance rules over the dbt manifest (ownership, access, products, layers, PII, legacy, tests)."""
