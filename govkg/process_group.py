"""Stopping a server started in its own session (`start_new_session=True`): `govkg demo`, Streamlit, and
what they start, all at once, so no child outlives a test or a benchmark."""

from __future__ import annotations

import os
import signal
import subprocess

__all__ = ["stop_process_group"]


def stop_process_group(process: subprocess.Popen[bytes] | subprocess.Popen[str], seconds: float = 20) -> None:
    """SIGTERM to the process's group, SIGKILL if it has not ended within `seconds`."""
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
