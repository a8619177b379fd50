"""The baseline follows what a handover moves: an entry (`rule:unique_id[:related]`) of a moved node is keyed
again by the node's unique id after the move (renames and a published model's version included) and kept while
the violation is still there, now the new owner's debt; every other entry stays as it was."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from collections.abc import Set as AbstractSet

from ..manifest import Mesh


def touched(entries: Iterable[dict], moved: Mapping[str, str]) -> list[dict]:
    """The entries about a moved node (either end of an edge)."""
    return [entry for entry in entries if set(_ids(entry["key"])) & moved.keys()]


def _ids(key: str) -> list[str]:
    return key.split(":")[1:]


def new_unique_id(old: Mesh, new: Mesh, moved: Mapping[str, str]) -> Callable[[str], str | None]:
    """old unique id -> the same node's unique id after the move (None: gone); `moved`: old uid -> new name."""
    by_signature: dict[tuple, list[str]] = {}
    for uid, node in new.nodes.items():
        if node.resource_type == "test":
            by_signature.setdefault(_signature(node, node.attached_node), []).append(uid)

    def renamed_model(uid: str) -> str:
        """Its new name; a model versioned by the handover (a published one) is its version's node."""
        parts = uid.split(".")
        if uid in moved and len(parts) >= 3:
            parts[2] = moved[uid]
        found = ".".join(parts)
        return found if found in new.nodes else next((u for u in sorted(new.nodes) if u.startswith(found + ".v")),
                                                     found)

    def mapped(uid: str) -> str | None:
        if uid not in moved:
            return uid
        node = old.node(uid)
        if node is None or node.resource_type in ("model", "unit_test"):
            found = renamed_model(uid) if node is None or node.resource_type == "model" else \
                f"unit_test.{uid.split('.')[1]}.{moved.get(_model_uid(old, node), node.model)}.{node.name}"
            return found if new.node(found) is not None else None
        if node.resource_type == "test" and node.attached_node:
            candidates = by_signature.get(_signature(node, renamed_model(node.attached_node)), [])
            named = [c for c in candidates if new.nodes[c].name == moved[uid]]
            return next(iter(named or candidates), None)
        return uid if uid in new.nodes else next((u for u, n in new.nodes.items() if n.name == moved[uid]), None)

    return mapped


def _model_uid(mesh: Mesh, unit_test) -> str:
    return next((p for p in unit_test.depends_on.nodes if mesh.nodes.get(p) is not None
                 and mesh.nodes[p].name == unit_test.model), "")


def _signature(test, attached: str | None) -> tuple:
    metadata = test.test_metadata
    return attached, metadata.name if metadata else None, test.column_name


def rekeyed(entries: list[dict], moved: Mapping[str, str], new_uid: Callable[[str], str | None],
            still_open: Mapping[str, dict], unjudged: AbstractSet[str] = frozenset()) -> list[dict]:
    """The baseline with each entry of a moved node keyed anew, kept only while `still_open` (the check's
    open violations on the result, by key) has it, or while its rule is `unjudged` (not run on the result)."""
    result = []
    for entry in entries:
        ids = _ids(entry["key"])
        if not set(ids) & moved.keys():
            result.append(entry)
            continue
        new_ids = [new_uid(uid) for uid in ids]
        if None in new_ids:
            continue
        key = ":".join([entry["key"].split(":", 1)[0], *(uid for uid in new_ids if uid)])
        if key in still_open:
            result.append(still_open[key])
        elif entry["rule"] in unjudged:
            result.append({**entry, "key": key, "node": new_ids[0]})
    return sorted({entry["key"]: entry for entry in result}.values(), key=lambda entry: entry["key"])
