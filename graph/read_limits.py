"""How much memory a read may take: `memory_limited()` caps what a read may add to the process
running it.

LadybugDB's buffer pool bounds its operators, but not a list it builds outside the pool
(`UNWIND range(1, 10^11)` reached 17 GB and then crashed the process); under the limit that
allocation fails at once and the read ends with a one-line QueryStopped. The CLI runs its reads
under it, and the app's query worker (govkg.app.query_worker) runs each call under it.
"""

from __future__ import annotations

import re
import resource
from collections.abc import Iterator
from contextlib import contextmanager, suppress

from govkg.errors import QueryError, QueryStopped

__all__ = ["QUERY_MEMORY", "memory_limited"]

# Memory a read may add to its process, beyond what the process holds when the read starts (the
# store's handle and its reserved address space included). Every saved query on a 10,000-document
# store and a 255,000-row read fit in it; UNWIND range(1, 3*10^8) (2.4 GB) does not.
QUERY_MEMORY = 2 << 30
# Text of the engines' failures to allocate (LadybugDB: std::bad_alloc under the limit, or its buffer pool full).
_OUT_OF_MEMORY = re.compile(r"bad_alloc|buffer pool is full|unable to allocate memory", re.IGNORECASE)


def _data_bytes() -> int | None:
    """The process's data segment now (what RLIMIT_DATA counts), or None where /proc is missing."""
    with suppress(OSError, StopIteration, ValueError):
        with open("/proc/self/status", encoding="ascii") as status:
            line = next(line for line in status if line.startswith("VmData:"))
        return int(line.split()[1]) * 1024
    return None


def _memory_refusal() -> QueryStopped:
    # LadybugDB's buffer pool (graph/ladybug_store.py) may be what ran out, so no one figure is named.
    return QueryStopped("memory", "the query needed more memory than a read may take and was stopped; "
                        "narrow it, collect fewer values or add a LIMIT")


@contextmanager
def memory_limited(budget: int = QUERY_MEMORY) -> Iterator[None]:
    """Inside, the process's data may grow by at most `budget` bytes (a soft RLIMIT_DATA above what
    it holds now, never looser than a limit already set); a read that needs more raises
    QueryStopped("memory"). The limit is the whole process's: use it where one thread reads."""
    soft, hard = resource.getrlimit(resource.RLIMIT_DATA)
    held = _data_bytes()
    if held is not None:
        cap = held + budget
        if hard != resource.RLIM_INFINITY:
            cap = min(cap, hard)
        if soft == resource.RLIM_INFINITY or cap < soft:
            resource.setrlimit(resource.RLIMIT_DATA, (cap, hard))
    try:
        yield
    except MemoryError as err:
        raise _memory_refusal() from err
    except QueryError as err:
        if isinstance(err, QueryStopped) or not _OUT_OF_MEMORY.search(str(err)):
            raise
        raise _memory_refusal() from err
    finally:
        resource.setrlimit(resource.RLIMIT_DATA, (soft, hard))
