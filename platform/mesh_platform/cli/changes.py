"""Shared by the scaffolding commands: show a changeset (--dry-run) or apply it and say what was done."""

from __future__ import annotations


def apply_or_show(changes, dry_run: bool, heading: str, next_steps: list[tuple[str, str]]) -> int:
    """`next_steps`: (command or sentence, why); the whys of commands are aligned."""
    from ..console import say

    if dry_run:
        say(changes.describe())
        say(f"Dry run: {len(changes.paths())} files would be written; nothing changed.")
        return 0
    changes.apply()
    say(heading)
    for path in changes.paths():
        say(f"  {changes.verb(path)} {path}")
    say("Next steps:")
    width = max((len(step) for step, why in next_steps if why), default=0)
    for step, why in next_steps:
        say(f"  {step.ljust(width)}   # {why}" if why else f"  {step}")
    return 0
