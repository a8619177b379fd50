"""A throwaway PostgreSQL server for the tests: its own data folder in a temporary directory, on 127.0.0.1 at
a free port and on a unix socket in that directory, stopped and removed when the `with` block ends, however
it ends. PostgreSQL refuses to run as root, so as root the server runs as the `postgres` OS user.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

BINARIES = "/usr/lib/postgresql/*/bin"  # Debian's layout, one folder per major version
INSTALL = "run `make postgres` (Debian's postgresql package: apt-get install -y postgresql)"
# A throwaway server need not survive a crash: no fsync, no waiting for the log at commit.
SETTINGS = ("fsync=off", "synchronous_commit=off", "full_page_writes=off")


class ServerError(RuntimeError):
    """The server could not be set up or started; the message is one line."""


@dataclass(frozen=True)
class Server:
    folder: Path  # data folder, socket and log, all inside
    port: int
    database: str
    user: str = "postgres"

    @property
    def data(self) -> Path:
        return self.folder / "data"

    def environment(self) -> dict[str, str]:
        """The settings of profiles.yml's `postgres` target, for dbt and the mesh command."""
        return {"MESH_TARGET": "postgres", "MESH_PG_HOST": "127.0.0.1", "MESH_PG_PORT": str(self.port),
                "MESH_PG_USER": self.user, "MESH_PG_DATABASE": self.database,
                "DBT_ENV_SECRET_MESH_PG_PASSWORD": ""}

    def postmaster_pid(self) -> int:
        """The server's process id, from the first line of its postmaster.pid."""
        return int((self.data / "postmaster.pid").read_text().split()[0])


def binaries(pattern: str = BINARIES) -> Path:
    """The newest installed PostgreSQL's bin folder (initdb, pg_ctl, postgres)."""
    found = [Path(folder) for folder in glob.glob(pattern) if (Path(folder) / "initdb").exists()]
    if not found:
        raise ServerError(f"PostgreSQL's initdb is not installed (looked in {pattern}): {INSTALL}")
    return max(found, key=lambda folder: int(folder.parent.name) if folder.parent.name.isdigit() else -1)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def as_server_user() -> list[str]:
    """The prefix that runs a command as the user the server runs as: `postgres` when we are root."""
    if os.geteuid() != 0:
        return []
    try:
        pwd.getpwnam("postgres")
    except KeyError:
        raise ServerError(f"running as root and there is no `postgres` OS user to run the server: {INSTALL}") from None
    return ["runuser", "-u", "postgres", "--"]


def run(command: list[str], what: str) -> None:
    done = subprocess.run(as_server_user() + command, capture_output=True, text=True, timeout=120)
    if done.returncode != 0:
        last = (done.stderr or done.stdout).strip().splitlines()[-1:] or [f"exit code {done.returncode}"]
        raise ServerError(f"{what} failed: {last[0]}")


@contextmanager
def temporary_server(database: str = "mesh", pattern: str = BINARIES) -> Iterator[Server]:
    """Start a fresh server with an empty `database` (trust authentication, user `postgres`); stop it and
    remove its folder when the block ends, on an error or an interrupt too."""
    bin_dir = binaries(pattern)
    folder = Path(tempfile.mkdtemp(prefix="mesh-pg-"))
    try:
        if os.geteuid() == 0:
            shutil.chown(folder, user="postgres", group="postgres")
        server = Server(folder, free_port(), database)
        run([str(bin_dir / "initdb"), "-D", str(server.data), "-U", server.user, "--auth=trust",
             "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync"], "initdb")
        options = f"-c listen_addresses=127.0.0.1 -p {server.port} -k {folder} " + " ".join(
            f"-c {setting}" for setting in SETTINGS)
        try:
            run([str(bin_dir / "pg_ctl"), "-D", str(server.data), "-l", str(folder / "server.log"), "-o", options,
                 "-w", "-t", "60", "start"], f"starting PostgreSQL (log: {folder / 'server.log'})")
            run([str(bin_dir / "createdb"), "-h", str(folder), "-p", str(server.port), "-U", server.user,
                 database], f"creating database {database}")
            yield server
        finally:
            if (server.data / "postmaster.pid").exists():  # started, even if pg_ctl gave up waiting
                run([str(bin_dir / "pg_ctl"), "-D", str(server.data), "-m", "fast", "-w", "-t", "60", "stop"],
                    "stopping PostgreSQL")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
