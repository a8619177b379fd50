"""Access agreements: who may read a data product, as one YAML file per agreement in the producer's folder.

`models/<producer>/access/<consumer>__<product>.access.yml` (dbt skips `*.access.yml`, see `.dbtignore`), reviewed
in a pull request by the producer's owners (CODEOWNERS routes `models/<producer>/` to them). Its status moves
requested -> approved | rejected, and approved -> revoked; an approved agreement may carry an end date.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import msgspec

from ..errors import MeshError
from ..writers.yaml import dump_yaml
from ..yaml_input import read_yaml, typed

SUFFIX = ".access.yml"
FOLDER = "access"  # models/<producer>/access/
STATUSES = ("requested", "approved", "rejected", "revoked")
HEADER = ("# Access agreement, written by `mesh access` (request, approve, reject, revoke); reviewed by the\n"
          "# producing domain's owners. The product's warehouse grants are generated from it (`mesh access grants`).\n")


class Agreement(msgspec.Struct, frozen=True, forbid_unknown_fields=True, omit_defaults=True):
    consumer: str
    product: str
    purpose: str
    status: str
    requested_by: str
    requested_on: dt.date
    columns: list[str] = []  # empty: every column of the product
    until: dt.date | None = None  # the last day the agreement holds
    decided_by: str | None = None
    decided_on: dt.date | None = None

    @property
    def id(self) -> str:
        return agreement_id(self.consumer, self.product)

    def expired(self, today: dt.date) -> bool:
        return self.until is not None and self.until < today

    def grants(self, today: dt.date) -> bool:
        """Whether it lets the consumer read the product today: approved and not past its end date."""
        return self.status == "approved" and not self.expired(today)


@dataclass(frozen=True)
class Filed:
    """An agreement and where it is filed: the producing domain (its folder) and the file's path in the project."""

    agreement: Agreement
    producer: str
    path: str


@dataclass(frozen=True)
class Unreadable:
    """An agreement file that could not be read: its producer folder, path and the one-line reason."""

    producer: str
    path: str
    problem: str


def agreement_id(consumer: str, product: str) -> str:
    return f"{consumer}__{product}"


def agreement_path(producer: str, consumer: str, product: str) -> str:
    return f"models/{producer}/{FOLDER}/{agreement_id(consumer, product)}{SUFFIX}"


def render(agreement: Agreement) -> str:
    data = msgspec.to_builtins(agreement, builtin_types=(dt.date,))  # dates stay dates in YAML
    return HEADER + dump_yaml({key: data[key] for key in _ORDER if key in data})


_ORDER = ("consumer", "product", "purpose", "columns", "until", "status", "requested_by", "requested_on",
          "decided_by", "decided_on")


def read_agreement(root: Path, path: str) -> Agreement:
    """One agreement file, typed; a mistake is one MeshError naming the file."""
    data = read_yaml(root / path, path)
    agreement = typed(data if data is not None else {}, Agreement, path)
    if agreement.status not in STATUSES:
        raise MeshError(f"{path}: status '{agreement.status}' is not one of {', '.join(STATUSES)}")
    if Path(path).name != agreement.id + SUFFIX:
        raise MeshError(f"{path}: the file of the agreement of {agreement.consumer} on {agreement.product} is "
                        f"{agreement.id}{SUFFIX}; rename it")
    return agreement


def agreement_files(root: Path) -> list[str]:
    """Every agreement file of the project (relative paths), in a stable order."""
    return sorted(str(path.relative_to(root)) for path in root.glob(f"models/*/{FOLDER}/*{SUFFIX}"))


def load_agreements(root: Path) -> tuple[list[Filed], list[Unreadable]]:
    """Every agreement of the project, and the files that could not be read (each with its reason)."""
    filed, unreadable = [], []
    for path in agreement_files(root):
        producer = Path(path).parts[1]
        try:
            filed.append(Filed(read_agreement(root, path), producer, path))
        except MeshError as error:
            unreadable.append(Unreadable(producer, path, str(error)))
    return filed, unreadable


def find_agreement(root: Path, agreement: str) -> Filed:
    """The agreement with this id (`<consumer>__<product>`), refused in one line when there is none or it cannot
    be read."""
    matches = [path for path in agreement_files(root) if Path(path).name == agreement + SUFFIX]
    if not matches:
        raise MeshError(f"no access agreement {agreement} (an id is <consumer>__<product>; `mesh access list` "
                        f"shows them)")
    path = matches[0]
    return Filed(read_agreement(root, path), Path(path).parts[1], path)
