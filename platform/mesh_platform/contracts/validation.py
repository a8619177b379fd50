"""Reading a contract file and checking it against the official ODCS v3 JSON schema."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from open_data_contract_standard.model import OpenDataContractStandard
from pydantic import ValidationError

from ..errors import MeshError
from ..yaml_input import read_yaml


@lru_cache(maxsize=1)
def _validator():
    """The JSON schema shipped by open-data-contract-standard (the standard's own), as a validator."""
    from importlib.resources import files

    import jsonschema

    schema = json.loads(files("open_data_contract_standard").joinpath("schema.json").read_text(encoding="utf-8"))
    return jsonschema.validators.validator_for(schema)(schema)


def schema_problem(document: dict) -> str | None:
    """The first way the document breaks the ODCS schema (`at schema[0].properties[2]: ...`), or None."""
    from jsonschema.exceptions import best_match

    error = best_match(_validator().iter_errors(document))
    if error is None:
        return None
    where = "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in error.absolute_path).lstrip(".")
    message = error.message
    if error.validator == "required" and isinstance(error.instance, dict) and "logicalType" not in error.instance \
            and message == "'map' is a required property":  # the schema reads a missing logicalType as `map`
        message = "no logicalType (the schema needs one on every property: string, integer, number, date, ...)"
    return f"at {where or 'the top level'}: {message}"


def load_contract(path: Path, shown: str) -> OpenDataContractStandard:
    """The contract in `path` (`shown` names it in messages): YAML, a mapping, valid ODCS v3 (the standard's JSON
    schema, for its messages), read into the standard's own model; else one MeshError."""
    document = read_yaml(path, shown)
    if not isinstance(document, dict):
        raise MeshError(f"{shown}: not an ODCS contract (expected a YAML mapping with apiVersion, kind, schema, ...)")
    document = json.loads(json.dumps(document, default=str))  # YAML dates and times as the strings JSON has
    problem = schema_problem(document)
    if problem:
        raise MeshError(f"{shown}: not a valid ODCS v3 contract, {problem}")
    if not str(document["apiVersion"]).startswith("v3."):
        raise MeshError(f"{shown}: apiVersion {document['apiVersion']} is ODCS v2; this platform reads ODCS v3")
    try:
        return OpenDataContractStandard.model_validate(document)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise MeshError(f"{shown}: not a valid ODCS v3 contract, at {where}: {first['msg']}") from None
