"""The masking key: from the environment, or (demo target only) a random key kept in a file beside the warehouse."""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from pathlib import Path

from ..errors import MeshError
from . import KEY_VARIABLE

MIN_KEY_CHARACTERS = 16


def masking_key(demo_key_file: str | None = None) -> bytes:
    """The key to mask with. `demo_key_file`: where the demo target keeps a generated key when the environment
    sets none (None: the environment must set one). An empty or short key is refused, never used."""
    value = os.environ.get(KEY_VARIABLE)
    if value is not None:
        if len(value.strip()) < MIN_KEY_CHARACTERS:
            raise MeshError(f"{KEY_VARIABLE} is {'empty' if not value.strip() else 'too short'}: set it to a "
                            f"random secret of at least {MIN_KEY_CHARACTERS} characters (e.g. `openssl rand -hex 32`)")
        return value.strip(" ").encode("utf-8")
    if demo_key_file is None:
        raise MeshError(f"no masking key: set {KEY_VARIABLE} to a secret of at least {MIN_KEY_CHARACTERS} characters "
                        f"before building on this target (only the demo target generates a key of its own)")
    return _demo_key(Path(demo_key_file))


def require_key(project, target: str | None) -> None:
    """Stop before a build, in one line, when the target would mask without a usable key: every target but the
    demo one (a DuckDB target whose plugin keeps a demo key) must have DBT_ENV_SECRET_MESH_PII_KEY set."""
    from ..warehouse import target_credentials

    _, credentials = target_credentials(project, target)
    demo = credentials.type == "duckdb" and any(
        (plugin.config or {}).get("demo_key_file") for plugin in (getattr(credentials, "plugins", None) or []))
    if os.environ.get(KEY_VARIABLE) is not None or not demo:
        masking_key(None)  # refuses a missing, empty or short key


def _demo_key(path: Path) -> bytes:
    """The demo warehouse's own key: made once (random, readable by its owner only), then read back."""
    try:
        return path.read_bytes().strip()
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32).encode("ascii")
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process made it meanwhile
        return path.read_bytes().strip()
    with os.fdopen(descriptor, "wb") as file:
        file.write(key + b"\n")
    return key


def mask(key: bytes, value: str | None) -> str | None:
    """HMAC-SHA-256 of the trimmed, lower-cased value, as hex (NULL stays NULL, so equal values still join)."""
    if value is None:
        return None
    return hmac.new(key, value.strip(" ").lower().encode("utf-8"), hashlib.sha256).hexdigest()  # as SQL's trim
