"""Shared fixtures for the healing test suite (run against the installed wheel)."""

from __future__ import annotations

import dataclasses
import datetime
import os
import pathlib
import shutil
import subprocess
import tempfile

from typing import Iterator

import pytest

UTC = datetime.timezone.utc


@pytest.fixture
def march_first() -> datetime.datetime:
    """A fixed, timezone-aware instant: tests never read the clock."""
    return datetime.datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


REPO = pathlib.Path(__file__).resolve().parents[2]

#: The fixed people of the fixture clinic (see bench/research_fixture.rs).
IDENTIFIERS = [
    "alice.example", "Alice Example", "alice@example.org", "943 476 5919", "9434765919",
    "bob.sample", "Bob Sample", "bob.sample@example.net", "943 476 5870", "9434765870",
    "carol.test", "Carol Test", "carol@example.com", "943 476 5837", "9434765837",
    "dan.demo", "Dan Demo", "dan.demo@example.org", "943 476 5802", "9434765802",
    "dr.fixture", "Dr Fixture Clinician", "dr.fixture@example.nhs.uk",
    "07700 900123", "(020) 7946 0958", "SW1A 1AA",
]


@dataclasses.dataclass(frozen=True)
class Clinic:
    """A fixture clinic database: its URL, key file, and the day it ends."""

    url: str
    key_file: str
    path: pathlib.Path
    days: int

    def day(self, number: int) -> str:
        """RFC 3339 instant at midnight UTC `number` days after 2026-01-01."""
        return (datetime.datetime(2026, 1, 1, tzinfo=UTC) + datetime.timedelta(days=number)).strftime(
            "%Y-%m-%dT%H:%M:%SZ"
        )


def fixture_binary() -> list[str]:
    """The command that writes a fixture clinic (prebuilt by run-tests.sh, else cargo)."""
    prebuilt = os.environ.get("HEALING_RESEARCH_FIXTURE")
    if prebuilt:
        return [prebuilt]
    return ["cargo", "run", "--quiet", "--release", "-p", "healing-py", "--example", "research_fixture", "--"]


@pytest.fixture(scope="session")
def clinic() -> Iterator[Clinic]:
    """Six invented patients over 120 days (four with fixed consent stories)."""
    # tmpfs when there is one: SQLite syncs every commit, which is slow on disk.
    shm = pathlib.Path("/dev/shm")
    base = pathlib.Path(tempfile.mkdtemp(dir=shm if shm.is_dir() else None))
    try:
        db, key = base / "healing.db", base / "healing.key"
        subprocess.run([*fixture_binary(), str(db), str(key), "6", "120"], cwd=REPO, check=True, capture_output=True)
        yield Clinic(url=f"sqlite://{db}", key_file=str(key), path=db, days=120)
    finally:
        shutil.rmtree(base, ignore_errors=True)
