"""The memory a long load may take, and freed memory handed back to the system between its stages."""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import gc
from collections.abc import Callable
from pathlib import Path

__all__ = ["available_memory", "return_freed_memory"]

_MEMINFO = Path("/proc/meminfo")
_CGROUPS = Path("/proc/self/cgroup")
_CGROUP_ROOT = Path("/sys/fs/cgroup")
# cgroup v2's files, then v1's memory controller's: the limit and what the group uses now.
_LIMIT_FILES = (("memory.max", "memory.current"), ("memory.limit_in_bytes", "memory.usage_in_bytes"))


def available_memory(meminfo: Path = _MEMINFO, cgroups: Path = _CGROUPS, root: Path = _CGROUP_ROOT) -> int | None:
    """Bytes this process could still take without swapping or being killed: the system's MemAvailable,
    or less where the process's control group is limited below it (a container's memory limit); None
    where neither can be read (not Linux)."""
    known = [room for room in (_system_available(meminfo), _group_room(cgroups, root)) if room is not None]
    return min(known) if known else None


def _system_available(meminfo: Path) -> int | None:
    """MemAvailable from /proc/meminfo (the kernel's estimate of what can be had without swapping)."""
    try:
        lines = meminfo.read_text(encoding="ascii").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    for line in lines:
        name, _, value = line.partition(":")
        if name == "MemAvailable" and value.split() and value.split()[0].isdigit():
            return int(value.split()[0]) * 1024  # given in kB
    return None


def _group_room(cgroups: Path, root: Path) -> int | None:
    """The limit of the process's memory control group less what the group uses, or None where no
    limit is set or none can be read. The group's own folder is tried first, then the mount's root,
    which is the group itself inside a container that has its own view of the hierarchy."""
    try:
        entries = cgroups.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    folders: list[Path] = []
    for entry in entries:
        _, controllers, group = entry.split(":", 2) if entry.count(":") >= 2 else ("", "", "")
        if controllers == "":  # v2: one hierarchy
            folders += [root / group.lstrip("/"), root]
        elif "memory" in controllers.split(","):  # v1: the memory controller's own hierarchy
            folders += [root / "memory" / group.lstrip("/"), root / "memory"]
    for folder in folders:
        for limit_name, usage_name in _LIMIT_FILES:
            try:
                limit = (folder / limit_name).read_text(encoding="ascii").strip()
                usage = (folder / usage_name).read_text(encoding="ascii").strip()
            except (OSError, UnicodeDecodeError):
                continue
            # "max" (v2) or a number near 2**63 (v1) means no limit.
            if not limit.isdigit() or not usage.isdigit() or int(limit) >= 1 << 60:
                return None
            return max(0, int(limit) - int(usage))
    return None


@functools.cache
def _malloc_trim() -> Callable[[int], int] | None:
    """glibc's malloc_trim, or None where the C library has none (macOS, musl)."""
    name = ctypes.util.find_library("c")
    try:
        trim = ctypes.CDLL(name).malloc_trim if name else None
    except (OSError, AttributeError):
        return None
    if trim is not None:
        trim.argtypes, trim.restype = [ctypes.c_size_t], ctypes.c_int
    return trim


def return_freed_memory() -> None:
    """Give the pages the C allocator holds free back to the system. Python returns a freed object's
    memory to the allocator, which keeps it for later: after a 10,000-document load had written its
    extracted graph and let go of it, the process still held 1,860 MB, 1,397 MB after this
    (docs/measured.md), through the similarity refresh that follows. Where there is no such call it
    does nothing.

    A full collection comes first: it frees what only cycles keep and empties the interpreter's own
    free lists, which then go back too. A bulk step pauses the collector (`paused_gc`), so without it
    nothing had done so since: after the 10,000-document write the collection took the process from
    1,121 to 1,073 MB in 0.08 s (docs/measured.md)."""
    gc.collect()
    trim = _malloc_trim()
    if trim is not None:
        trim(0)
