"""Shared fixtures for the healing test suite (run against the installed wheel)."""

from __future__ import annotations

import datetime

import pytest

UTC = datetime.timezone.utc


@pytest.fixture
def march_first() -> datetime.datetime:
    """A fixed, timezone-aware instant: tests never read the clock."""
    return datetime.datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
