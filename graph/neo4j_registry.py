"""Which Neo4j servers govkg started, and how to log in to them: read by the graph layer, written by
govkg.neo4j_server.

Each project server keeps a small JSON state file (pid, port, home, password) in its home inside the
cache folder (`.neo4j/` in a source checkout, or GOVKG_NEO4J_HOME, or the per-user data folder), and
`running/<port>` in the cache folder names the home serving that port. So `open_store` finds the
password of the project's own server from its URI alone, with no NEO4J_PASSWORD, and `govkg neo4j
status`/`stop` work from another process. State whose process is gone is removed when read.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path

from govkg.errors import StoreError
from govkg.resources import source_checkout, user_data_dir

__all__ = [
    "INITIAL_USER",
    "MAIN_CLASS",
    "ServerInfo",
    "cache_dir",
    "default_home",
    "is_our_server",
    "password_file",
    "port_file",
    "process_alive",
    "project_password",
    "read_password",
    "server_status",
    "state_file",
]

MAIN_CLASS = "org.neo4j.server.CommunityEntryPoint"
INITIAL_USER = "neo4j"
PASSWORD_FILE = "govkg-password"


@dataclass(frozen=True)
class ServerInfo:
    """A running project server: where it answers, its process and its home folder."""

    uri: str
    pid: int
    home: Path
    port: int
    auth_enabled: bool = False
    password: str = field(default="", repr=False)  # user neo4j's; kept out of reprs and logs

    @property
    def auth(self) -> tuple[str, str] | None:
        """What a driver needs to log in (None when auth is off)."""
        return (INITIAL_USER, self.password) if self.auth_enabled else None

    def to_json(self) -> str:
        data = asdict(self)
        data["home"] = str(self.home)
        return json.dumps(data, indent=2)

    @classmethod
    def from_json(cls, text: str) -> ServerInfo:
        data = json.loads(text)
        return cls(
            uri=str(data["uri"]),
            pid=int(data["pid"]),
            home=Path(data["home"]),
            port=int(data["port"]),
            auth_enabled=bool(data.get("auth_enabled", False)),
            password=str(data.get("password", "")),
        )


def cache_dir() -> Path:
    """GOVKG_NEO4J_HOME if set, else `.neo4j/` at the root of a source checkout (ignored by git), else
    `neo4j/` in the per-user data folder."""
    env = os.environ.get("GOVKG_NEO4J_HOME")
    if env:
        return Path(env).expanduser().resolve()
    checkout = source_checkout()
    return checkout / ".neo4j" if checkout else user_data_dir() / "neo4j"


def default_home() -> Path:
    return cache_dir() / "server"


def state_file(home: Path) -> Path:
    return home / "govkg-server.json"


def password_file(home: Path) -> Path:
    """User neo4j's password for this home, kept across stops (the state file goes with the process)."""
    return home / PASSWORD_FILE


def port_file(port: int, cache: Path | None = None) -> Path:
    return (cache or cache_dir()) / "running" / str(port)


def project_password(uri: str) -> str | None:
    """The password of the project's own server answering at `uri` (started by start_server, any
    home), or None when `uri` is not one of them. Lets govkg log in with no NEO4J_PASSWORD."""
    found = re.fullmatch(r"(?:bolt|neo4j)://(?:127\.0\.0\.1|localhost):(\d+)/?", uri.strip())
    if not found:
        return None
    try:
        home = Path(port_file(int(found.group(1))).read_text(encoding="utf-8").strip())
        info = server_status(home)
    except (OSError, ValueError, StoreError):
        return None
    if info is None or info.port != int(found.group(1)) or not info.auth_enabled:
        return None
    return info.password


def read_password(home: Path) -> str | None:
    try:
        return password_file(home).read_text(encoding="utf-8").strip() or None
    except FileNotFoundError:
        return None


def server_status(home: Path | None = None) -> ServerInfo | None:
    """The running server of `home` (default: the project's), or None. Stale state is removed."""
    home = (home or default_home()).resolve()
    path = state_file(home)
    try:
        info = ServerInfo.from_json(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError) as err:
        raise StoreError(f"the Neo4j server state file {path} is unreadable ({err}); delete it and retry") from err
    if is_our_server(info.pid, home):
        return info
    path.unlink(missing_ok=True)
    port_file(info.port).unlink(missing_ok=True)
    return None


def process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split()[2]
    except (OSError, IndexError):
        return True
    if state == "Z":
        # The leader of a multi-threaded JVM shows Z while its other threads still exit. If it is
        # our child (start_server in this process) it is gone only once waitpid reaps it; a
        # non-child zombie is left for its own parent to reap.
        try:
            reaped, _ = os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            return False
        return reaped == 0
    return True


def is_our_server(pid: int, home: Path) -> bool:
    """The pid is alive and is a Neo4j started for this home (a reused pid is not)."""
    if not process_alive(pid):
        return False
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().decode("utf-8", "replace").split("\0")
    except OSError:
        return True  # no /proc: trust the live pid
    return MAIN_CLASS in cmdline and f"--home-dir={home}" in cmdline
