"""The dbt names sqlfluff's Jinja templater needs to render a project's SQL without compiling it.

The project's own macros (its macro-paths) and its installed packages' macros (packages-install-path, each
under its package name: `dbt_utils.star(...)`) are loaded from their files and rendered as dbt would at parse
time (`execute` is false, so no query runs), with stand-ins for what only a live dbt has: `adapter.dispatch`,
`config` (keywords or a dict), `var` (the project's vars, else the default), `env_var` (its default), `target`,
`run_query`, `return`. A macro that still cannot render becomes a placeholder name, never a templating error:
its SQL is the package's concern, not the model's. Built once per process for the working folder (the project
root: mesh lint runs sqlfluff there), again when a macro file changes; `sqlfluff_context` hands it to sqlfluff.
"""

from __future__ import annotations

import datetime
import hashlib
import itertools
import json
import re
from collections import ChainMap
from collections.abc import Callable, Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2
import yaml

from .dbt_standins import dbt

# the adapters an adapter's dispatched macros fall back to, before `default__`
ADAPTER_PARENTS = {"redshift": ("postgres",), "databricks": ("spark",), "synapse": ("fabric", "sqlserver"),
                   "fabric": ("sqlserver",)}


class Unrendered:
    """What a macro that could not render (or anything only a live dbt knows) renders as: a plain name in SQL,
    empty when iterated, false when tested, itself when called or looked into."""

    def __init__(self, name: str) -> None:
        self._name = re.sub(r"\W+", "_", name).strip("_") or "unrendered"

    def __str__(self) -> str:
        return self._name

    def __getattr__(self, item: str) -> Unrendered:
        if item.startswith("__"):
            raise AttributeError(item)
        return self

    def __getitem__(self, item: object) -> Unrendered:
        return self

    def __call__(self, *args: object, **kwargs: object) -> Unrendered:
        return self

    def __iter__(self) -> Iterator[object]:
        return iter(())

    def __bool__(self) -> bool:
        return False

    def __len__(self) -> int:
        return 0


class _Return(Exception):  # noqa: N818 - dbt's `return()`: how a macro hands back a value
    def __init__(self, value: object) -> None:
        self.value = value


def _return(value: object = "") -> None:
    raise _Return(value)


class MacroProxy:
    """A loaded macro, called as dbt calls it: `return(x)` gives x; any failure gives a placeholder."""

    def __init__(self, name: str, macro: Callable[..., Any]) -> None:
        self.name, self._macro = name, macro

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        try:
            return self._macro(*args, **kwargs)
        except _Return as returned:
            return returned.value
        except Exception:  # noqa: BLE001 - any macro's own failure degrades to a placeholder, by design
            return Unrendered(self.name)


class Namespace:
    """A package's macros by name (`dbt_utils.star`); an unknown name is undefined, as in dbt."""

    def __init__(self, macros: dict[str, MacroProxy]) -> None:
        self._macros = macros

    def __getattr__(self, name: str) -> MacroProxy:
        try:
            return self._macros[name]
        except KeyError:
            raise AttributeError(name) from None


class Config:
    """dbt's `config`: `config(materialized='table')` and `config({...})` render nothing; `config.get` gives the
    default."""

    def __call__(self, *args: object, **kwargs: object) -> str:
        return ""

    def get(self, name: str, default: object = None, **_: object) -> object:
        return default

    def require(self, name: str) -> Unrendered:
        return Unrendered(name)

    def set(self, *args: object, **kwargs: object) -> str:
        return ""


class Adapter:
    """dbt's `adapter`: dispatch to the project's and packages' macros; nothing that needs a connection."""

    def __init__(self, world: MacroWorld) -> None:
        self._world = world

    def dispatch(self, macro_name: str, macro_namespace: str | None = None, **_: object) -> Callable[..., Any]:
        return self._world.dispatch(macro_name, macro_namespace)

    @staticmethod
    def quote(identifier: object) -> str:
        return f'"{identifier}"'

    def __getattr__(self, name: str) -> Unrendered:  # get_columns_in_relation, get_relation, ...: no warehouse
        if name.startswith("__"):
            raise AttributeError(name)
        return Unrendered(name)


class Target:
    def __init__(self, adapter_type: str | None) -> None:
        self.type = adapter_type or "default"
        self.name, self.schema, self.database, self.threads = "dev", "target_schema", "target_database", 1

    def get(self, name: str, default: object = None) -> object:
        return getattr(self, name, default)


class MacroWorld:
    """Every macro of the project and its installed packages, and the dbt names they (and models) use."""

    def __init__(self, root: Path) -> None:
        settings = project_settings(root)
        self.adapter_type = adapter_type(root, settings)
        self.project = str(settings.get("name") or "project")
        self.packages: dict[str, dict[str, MacroProxy]] = {}
        self.environment = jinja2.Environment(extensions=["jinja2.ext.do", "jinja2.ext.loopcontrols"])
        self.shared = self._builtins(settings)
        self._load(self.project, _macro_folders(root, settings))
        for package in package_roots(root, settings):
            package_settings = _read_yaml(package / "dbt_project.yml")
            self._load(str(package_settings.get("name") or package.name), _macro_folders(package, package_settings))

    def context(self) -> dict[str, Any]:
        """The names a model's Jinja sees: dbt's, the project's macros, each package's namespace."""
        return {**self.shared, **self.packages.get(self.project, {})}

    def dispatch(self, name: str, namespace: str | None) -> Callable[..., Any]:
        """`adapter.dispatch`: the adapter's implementation (or its parents', or the default) of `name`."""
        types = (self.adapter_type, *ADAPTER_PARENTS.get(self.adapter_type or "", ()), "default")
        searched = [namespace] if namespace and namespace != "dbt" else []
        searched += [self.project, *(package for package in self.packages if package not in searched)]
        for prefix in (f"{kind}__" for kind in types if kind):
            for package in searched:
                if found := self.packages.get(package, {}).get(prefix + name):
                    return found
        standin = getattr(dbt, name, None)
        return standin if callable(standin) else Unrendered(name)

    def _builtins(self, settings: dict) -> dict[str, Any]:
        from sqlfluff.core.templaters.builtins.dbt import DBT_BUILTINS

        project_vars = {key: value for key, value in (settings.get("vars") or {}).items()
                        if not isinstance(value, dict)}
        for scoped in (value for value in (settings.get("vars") or {}).values() if isinstance(value, dict)):
            project_vars = {**scoped, **project_vars}

        def var(name: str, default: object = None) -> object:
            return project_vars.get(name, default if default is not None else Unrendered(f"var_{name}"))

        def env_var(name: str, default: object = None) -> object:
            return default if default is not None else Unrendered(f"env_var_{name}")

        def statement(*args: object, caller: Callable[[], str] | None = None, **kwargs: object) -> str:
            return ""

        return {
            **self.environment.globals,  # range, dict, namespace, ...: a shared module context has no others
            **{name: value for name, value in DBT_BUILTINS.items() if name != "config"},
            "config": Config(), "var": var, "env_var": env_var, "adapter": Adapter(self),
            "target": Target(self.adapter_type), "execute": False, "return": _return,
            "run_query": lambda *args, **kwargs: None, "statement": statement, "load_result": Unrendered("result"),
            "log": lambda *args, **kwargs: "", "print": lambda *args, **kwargs: "",
            "exceptions": Unrendered("exceptions"), "graph": {"nodes": {}, "sources": {}, "groups": {}},
            "model": {}, "flags": Unrendered("flags"), "api": Unrendered("api"), "builtins": Unrendered("builtins"),
            "invocation_id": "invocation_id", "run_started_at": datetime.datetime(2026, 1, 1),
            "modules": {"datetime": datetime, "re": re, "itertools": itertools},
            "tojson": json.dumps, "fromjson": json.loads, "toyaml": yaml.safe_dump, "fromyaml": yaml.safe_load,
            "local_md5": lambda text: hashlib.md5(str(text).encode(), usedforsecurity=False).hexdigest(),
            "dbt": dbt,
        }

    def _load(self, package: str, folders: list[Path]) -> None:
        """A package's macros, each seeing its own package's macros first, then the project's, then dbt's."""
        macros = self.packages.setdefault(package, {})
        self.shared[package] = Namespace(macros)
        scope = ChainMap(macros, self.packages.setdefault(self.project, {}), self.shared)
        for path in (path for folder in folders for path in _sql_files(folder)):
            try:
                # shared: the macros look names up in `scope` when called, so later macros are seen too
                module = self.environment.from_string(path.read_text(encoding="utf-8")).make_module(
                    vars=scope, shared=True)  # type: ignore[arg-type]
            except Exception:  # noqa: BLE001 - a macro file plain Jinja cannot read ({% test %}, ...): left out
                continue
            for name, value in vars(module).items():
                if isinstance(value, jinja2.runtime.Macro):
                    macros[name] = MacroProxy(name, value)


def macro_files(root: Path) -> list[Path]:
    """Every file the macros and the adapter type are read from (for the lint cache's stamp)."""
    settings = project_settings(root)
    packages = package_roots(root, settings)
    folders = [*_macro_folders(root, settings),
               *(folder for package in packages for folder in _macro_folders(package, _read_yaml(
                   package / "dbt_project.yml")))]
    return [root / "dbt_project.yml", root / "profiles.yml", *(package / "dbt_project.yml" for package in packages),
            *(path for folder in folders for path in _sql_files(folder))]


def _macro_folders(root: Path, settings: dict) -> list[Path]:
    return [root / str(path) for path in settings.get("macro-paths") or ["macros"]]


def _sql_files(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*.sql")) if folder.is_dir() else []


def project_settings(root: Path) -> dict:
    return _read_yaml(root / "dbt_project.yml")


def package_roots(root: Path, settings: dict) -> list[Path]:
    """The installed packages' folders (packages-install-path, default dbt_packages/)."""
    install = root / str(settings.get("packages-install-path") or "dbt_packages")
    return sorted(path for path in install.glob("*") if (path / "dbt_project.yml").is_file()) \
        if install.is_dir() else []


def adapter_type(root: Path, settings: dict | None = None) -> str | None:
    """The adapter type of the profile's default target, from the project's own profiles.yml (None: unknown)."""
    settings = project_settings(root) if settings is None else settings
    profile = (_read_yaml(root / "profiles.yml").get(str(settings.get("profile"))) or {})
    if not isinstance(profile, dict):
        return None
    target = _render_env_vars(str(profile.get("target") or "dev"))
    output = (profile.get("outputs") or {}).get(target) or {}
    kind = _render_env_vars(str(output.get("type") or "")) if isinstance(output, dict) else ""
    return kind or None


def _render_env_vars(text: str) -> str:
    """A profile value as dbt reads it, where it is only `env_var(name, default)`: the default."""
    if "{{" not in text:
        return text
    try:
        return jinja2.Environment().from_string(text).render(env_var=lambda name, default="": default)
    except Exception:  # noqa: BLE001 - anything else in a profile value is unknown here
        return ""


def _read_yaml(path: Path) -> dict:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError):
        return {}
    return data if isinstance(data, dict) else {}


def world(root: str) -> MacroWorld:
    """The macro world of the project at `root`, built again when one of its macro files has changed."""
    signature = tuple((str(path), *_stat(path)) for path in macro_files(Path(root)))
    return _world(root, signature)


@lru_cache(maxsize=8)
def _world(root: str, signature: tuple) -> MacroWorld:
    return MacroWorld(Path(root))


def _stat(path: Path) -> tuple[int, int]:
    try:
        stat = path.stat()
    except OSError:
        return (0, -1)
    return (stat.st_mtime_ns, stat.st_size)
