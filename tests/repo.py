"""The repository the tests run in (they also read its README, its tests/data and its Makefile)."""

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
