"""Shared fixtures for the healing test suite (run against the installed wheel)."""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
import os
import pathlib
import secrets
import shutil
import subprocess
import tempfile
import urllib.parse

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


#: The server the PostgreSQL run creates its scratch database on (as the Rust store
#: tests do); its database is only used to connect, never written to.
DEFAULT_POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/test"


def example_command(name: str, prebuilt_variable: str) -> list[str]:
    """The command of one of healing-py's example binaries: prebuilt by run-tests.sh
    (its path in `prebuilt_variable`), else built and run by cargo."""
    prebuilt = os.environ.get(prebuilt_variable)
    if prebuilt:
        return [prebuilt]
    return ["cargo", "run", "--quiet", "--release", "-p", "healing-py", "--example", name, "--"]


def fixture_binary() -> list[str]:
    """The command that writes a fixture clinic (bench/research_fixture.rs)."""
    return example_command("research_fixture", "HEALING_RESEARCH_FIXTURE")


def scratch_binary() -> list[str]:
    """The command that creates, fingerprints and drops PostgreSQL scratch databases
    (bench/postgres_scratch.rs)."""
    return example_command("postgres_scratch", "HEALING_POSTGRES_SCRATCH")


def run(command: list[str], what: str) -> str:
    """Runs a helper binary; a failure fails the test with its error (never a skip)."""
    finished = subprocess.run(command, cwd=REPO, capture_output=True, text=True)
    if finished.returncode != 0:
        pytest.fail(f"{what} failed: {finished.stderr.strip()}", pytrace=False)
    return finished.stdout


@dataclasses.dataclass(frozen=True)
class Clinic:
    """A fixture clinic database: its back end, URL, key file, and the day it ends."""

    backend: str
    url: str
    key_file: str
    days: int
    #: The SQLite file (None on PostgreSQL).
    path: pathlib.Path | None = None

    def day(self, number: int) -> str:
        """RFC 3339 instant at midnight UTC `number` days after 2026-01-01."""
        return (datetime.datetime(2026, 1, 1, tzinfo=UTC) + datetime.timedelta(days=number)).strftime(
            "%Y-%m-%dT%H:%M:%SZ"
        )

    def fingerprint(self) -> str:
        """A digest of everything stored: equal before and after means nothing changed."""
        if self.path is not None:
            return hashlib.sha256(self.path.read_bytes()).hexdigest()
        return run([*scratch_binary(), "fingerprint", self.url], "fingerprinting the PostgreSQL clinic")


#: The fixture clinic: six invented patients (four with fixed consent stories) over 120 days.
PATIENTS, DAYS = "6", 120


def sqlite_clinic() -> Iterator[Clinic]:
    """The clinic in a SQLite file in a temporary directory, removed afterwards."""
    # tmpfs when there is one: SQLite syncs every commit, which is slow on disk.
    shm = pathlib.Path("/dev/shm")
    base = pathlib.Path(tempfile.mkdtemp(dir=shm if shm.is_dir() else None))
    try:
        db, key = base / "healing.db", base / "healing.key"
        run([*fixture_binary(), str(db), str(key), PATIENTS, str(DAYS)], "writing the SQLite clinic")
        yield Clinic(backend="sqlite", url=f"sqlite://{db}", key_file=str(key), path=db, days=DAYS)
    finally:
        shutil.rmtree(base, ignore_errors=True)


def postgres_clinic() -> Iterator[Clinic]:
    """The clinic in a fresh PostgreSQL database on $HEALING_TEST_POSTGRES_URL's server,
    dropped afterwards. No server is a failure, not a skip: CI has one."""
    admin = os.environ.get("HEALING_TEST_POSTGRES_URL", DEFAULT_POSTGRES_URL)
    name = f"healing_research_{secrets.token_hex(8)}"
    url = urllib.parse.urlsplit(admin)._replace(path=f"/{name}").geturl()
    run(
        [*scratch_binary(), "create", admin, name],
        f"creating a PostgreSQL database for the research tests (set HEALING_TEST_POSTGRES_URL; now {admin})",
    )
    base = pathlib.Path(tempfile.mkdtemp())
    try:
        key = base / "healing.key"
        run([*fixture_binary(), url, str(key), PATIENTS, str(DAYS)], "writing the PostgreSQL clinic")
        yield Clinic(backend="postgres", url=url, key_file=str(key), days=DAYS)
    finally:
        shutil.rmtree(base, ignore_errors=True)
        run([*scratch_binary(), "drop", admin, name], f"dropping the PostgreSQL database {name}")


@pytest.fixture(scope="session", params=["sqlite", "postgres"])
def clinic(request: pytest.FixtureRequest) -> Iterator[Clinic]:
    """The fixture clinic on each back end the server supports, written through the
    server's storage code (bench/research_fixture.rs): every research test runs on both."""
    yield from (sqlite_clinic() if request.param == "sqlite" else postgres_clinic())
