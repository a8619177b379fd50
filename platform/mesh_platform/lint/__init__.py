"""`mesh lint`: sqlfluff over the project's SQL with the fast Jinja templater (no dbt compile)."""
