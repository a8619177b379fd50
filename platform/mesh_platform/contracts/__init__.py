"""ODCS v3 data contracts: a data product's contract exported from dbt, and products scaffolded from one.

`odcs` holds the mapping both directions share, `validation` reads and checks a contract file against the
official JSON schema, `export` builds a product's contract from the parsed manifest (`servers` names the
target's warehouse, `runnable_rules` writes the suite's expectations again as rules other tools run),
`importer` turns a contract into the product's files.
"""
