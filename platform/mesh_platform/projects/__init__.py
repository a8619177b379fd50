"""A mesh of dbt projects: a domain graduates to a dbt project of its own (`mesh split`), its products read
by the others through cross-project refs (dbt-loom), its warehouse attached read-only by its consumers;
`mesh build`, `mesh nightly` and `mesh check` at the root run and judge every project of the mesh."""
