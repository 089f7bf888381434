"""Freed memory handed back to the system between the stages of a long load."""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import gc
from collections.abc import Callable

__all__ = ["return_freed_memory"]


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
