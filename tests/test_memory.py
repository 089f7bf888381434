"""A long load gives the memory of what it let go back to the system (govkg.memory)."""

from __future__ import annotations

from pathlib import Path

import pytest

from govkg.memory import _malloc_trim, return_freed_memory


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
