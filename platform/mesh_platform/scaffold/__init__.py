"""Scaffolding: new domains and data products that pass every rule from birth."""
