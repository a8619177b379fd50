"""The `mesh` command: a thin argparse layer over the platform's core modules.

Each command lives in its own module with `register(subparsers)`; modules import the core (and dbt)
only when their command runs, so `mesh --help` stays fast.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
import traceback
from pathlib import Path

from .. import __version__
from ..errors import MeshError

COMMANDS = ("access", "adopt", "build", "catalog", "check", "codeowners", "contract", "demo_data", "diff", "domain",
            "domains", "handover", "headlines", "legacy", "lint", "nightly", "product", "products", "publish",
            "quality", "report", "split")


def common_options() -> argparse.ArgumentParser:
    """Options every command accepts, before or after its name (defaults live on the main parser)."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--project-dir", type=Path, default=argparse.SUPPRESS,
                        help="the dbt project's root (default: found from the working folder upwards)")
    common.add_argument("--debug", action="store_true", default=argparse.SUPPRESS,
                        help="show the full traceback when something fails")
    return common


def requested_command(argv: list[str]) -> str | None:
    """The module of the command `argv` names (its first word that is not an option), or None."""
    words = iter(argv)
    for word in words:
        if word == "--project-dir":
            next(words, None)  # its value
        elif not word.startswith("-"):
            module = word.replace("-", "_")
            return module if module in COMMANDS else None
    return None


def build_parser(argv: list[str] | None = None) -> argparse.ArgumentParser:
    """The parser; with `argv` naming a command, only that command is registered (a faster start)."""
    common = common_options()
    parser = argparse.ArgumentParser(  # its own copy: set_defaults below must not reach the commands' options
        prog="mesh", parents=[common_options()],
        description="Self-serve data-mesh platform on dbt: build, govern and report on domain-owned data.",
    )
    parser.set_defaults(project_dir=None, debug=False)
    parser.add_argument("--version", action="version", version=f"mesh {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    wanted = requested_command(argv) if argv is not None else None
    for name in (wanted,) if wanted else COMMANDS:
        importlib.import_module(f"{__name__}.{name}").register(subparsers, common)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    args = build_parser(argv).parse_args(argv)
    try:
        return args.run(args)
    except MeshError as error:
        print(f"mesh: {error}", file=sys.stderr)
        if args.debug:
            traceback.print_exc()
        return error.exit_code
    except KeyboardInterrupt:
        print("mesh: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # the reader went away (`mesh ... | head`): stop quietly, as rich's console does
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except Exception as error:  # noqa: BLE001 - the last line of defence: one line, traceback on request
        if args.debug:
            raise
        print(f"mesh: unexpected error: {type(error).__name__}: {error} (run again with --debug for the traceback)",
              file=sys.stderr)
        return 1
