"""How a long `govkg load` goes, on stderr: files read (share and time left, at most once a second)
and each later stage as it begins. Live (one line rewritten) on a terminal, else a line each."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TextIO

__all__ = ["LoadProgress"]

_STAGE_WORDS = {
    "resolve": "joining names the store already holds",
    "write": "writing (one transaction)",
    "similarity": "refreshing similar zones",
}


class LoadProgress:
    """A `govkg.services.loading.Progress` that writes to `stream`; `close()` ends a live line."""

    def __init__(self, stream: TextIO, *, live: bool, every_s: float = 1.0,
                 clock: Callable[[], float] = time.monotonic) -> None:  # fmt: skip
        self._stream, self._live, self._every, self._clock = stream, live, every_s, clock
        self._start = clock()
        self._said_at: float | None = None
        self._width = 0

    def __call__(self, stage: str, done: int, total: int) -> None:
        now = self._clock()
        if stage == "extract":
            if total < 1 or (done < total and self._said_at is not None and now - self._said_at < self._every):
                return
            share = 100 * done // total
            left = (now - self._start) / done * (total - done)
            # The first files also load the tokenizer and division tables: no estimate from them alone.
            guess = done < total and done >= max(2, total // 10)
            line = f"read {done}/{total} files ({share}%)" + (f", about {left:.0f} s left" if guess else "")
        elif stage == "write" and total > 0:
            line = f"writing batch {done} of {total} (all land together) … ({now - self._start:.0f} s so far)"
        elif stage in _STAGE_WORDS:
            line = f"{_STAGE_WORDS[stage]} … ({now - self._start:.0f} s so far)"
        else:
            return
        self._said_at = now
        self._say(line)

    def _say(self, line: str) -> None:
        if self._live:
            self._stream.write("\r" + line.ljust(self._width))
            self._width = len(line)
        else:
            self._stream.write(line + "\n")
        self._stream.flush()

    def close(self) -> None:
        if self._live and self._width:
            self._stream.write("\n")
            self._stream.flush()
