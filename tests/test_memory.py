"""A long load gives the memory of what it let go back to the system (govkg.memory)."""

from __future__ import annotations

from pathlib import Path

import pytest

from govkg.memory import _malloc_trim, available_memory, return_freed_memory


def _resident_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    pytest.skip("no /proc/self/status here to read the resident memory from")


@pytest.mark.skipif(_malloc_trim() is None, reason="the C library has no malloc_trim (not glibc)")
def test_memory_freed_by_python_goes_back_to_the_system() -> None:
    # Objects of 2 KB come from the C allocator (Python's own takes those up to 512 bytes), as the
    # lists and long strings of an extracted graph do; kept in between by a small survivor each
    # 64 KB, so the heap cannot shrink from its top by itself.
    held: list[bytes] = []
    survivors: list[bytes] = []
    for i in range(150_000):
        held.append(bytes(2048))
        if i % 32 == 0:
            survivors.append(bytes(600))
    before = _resident_mb()
    del held
    freed_only = _resident_mb()
    return_freed_memory()
    after = _resident_mb()
    assert survivors
    assert before - after > 150, (before, freed_only, after)


def test_what_only_cycles_keep_is_freed_even_with_the_collector_paused() -> None:
    """A bulk step pauses the collector (graph/merge.py paused_gc): the release between the stages
    of a load frees what only cycles keep, as the collector would have."""
    import gc
    import weakref

    from govkg.graph.merge import paused_gc

    class Holder:
        def __init__(self) -> None:
            self.me = self
            self.payload = [bytes(2048) for _ in range(100)]

    with paused_gc():
        cyclic = Holder()
        watch = weakref.ref(cyclic)
        del cyclic
        assert watch() is not None  # only the collector frees a cycle
        return_freed_memory()
        assert watch() is None
    assert gc.isenabled()


def _machine(tmp_path: Path, available_kb: int, cgroup: str, files: dict[str, str]) -> tuple[Path, Path, Path]:
    """A /proc/meminfo, a /proc/self/cgroup and a cgroup mount with `files` (paths under it), in tmp_path."""
    tmp_path.mkdir()
    meminfo = tmp_path / "meminfo"
    meminfo.write_text(f"MemTotal:       24000000 kB\nMemFree:         1000000 kB\nMemAvailable:   {available_kb} kB\n")
    cgroups = tmp_path / "cgroup"
    cgroups.write_text(cgroup)
    root = tmp_path / "fs"
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return meminfo, cgroups, root


def test_the_free_memory_is_the_systems_unless_a_container_limits_it_below(tmp_path: Path) -> None:
    gib = 1 << 30
    # No limit (cgroup v2 "max"): what the system has available.
    assert available_memory(*_machine(tmp_path / "a", 20 * 1024 * 1024, "0::/load\n", {
        "load/memory.max": "max\n", "load/memory.current": "1000\n"})) == 20 * gib
    # A container's limit of 6 GiB, 1 GiB used: 5 GiB, less than the system's 20.
    assert available_memory(*_machine(tmp_path / "b", 20 * 1024 * 1024, "0::/load\n", {
        "load/memory.max": f"{6 * gib}\n", "load/memory.current": f"{gib}\n"})) == 5 * gib
    # cgroup v1: the memory controller's own hierarchy; its "no limit" is a number near 2**63.
    v1 = "4:memory:/job\n1:cpu:/job\n"
    assert available_memory(*_machine(tmp_path / "c", 20 * 1024 * 1024, v1, {
        "memory/job/memory.limit_in_bytes": f"{4 * gib}\n", "memory/job/memory.usage_in_bytes": "0\n"})) == 4 * gib
    assert available_memory(*_machine(tmp_path / "d", 20 * 1024 * 1024, v1, {
        "memory/job/memory.limit_in_bytes": "9223372036854771712\n",
        "memory/job/memory.usage_in_bytes": "5\n"})) == 20 * gib
    # Inside a container the mount's root is the group itself.
    assert available_memory(*_machine(tmp_path / "e", 20 * 1024 * 1024, "0::/\n", {
        "memory.max": f"{2 * gib}\n", "memory.current": "0\n"})) == 2 * gib
    # Nothing to read (not Linux): unknown.
    assert available_memory(tmp_path / "none", tmp_path / "none", tmp_path / "none") is None


def test_the_free_memory_read_here_is_a_plausible_size() -> None:
    if not Path("/proc/meminfo").exists():
        pytest.skip("no /proc/meminfo here")
    room = available_memory()
    assert room is not None and 64 << 20 < room < 1 << 50
