"""The monolith's burn-down: what is left in the legacy domain, who depends on it, how it has shrunk."""
