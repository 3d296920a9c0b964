"""Benchmark: load a year of data for N consented patients into pandas.

Writes an invented clinic of N patients x D days with the fixture writer (through
the server's storage code, onto tmpfs), then times `research.connect` and loading
every table into pandas DataFrames, and reports seconds and peak memory (RSS high
water mark of this process).

Usage (from the repository root, with the wheel installed in .venv):
    .venv/bin/python healing-py/bench/research_bench.py [--patients 1000] [--days 365]
"""

from __future__ import annotations

import argparse
import pathlib
import resource
import subprocess
import sys
import tempfile
import time

import healing.research as research

ROOT = pathlib.Path(__file__).resolve().parents[2]


def peak_rss_mib() -> float:
    # ru_maxrss is in KiB on Linux.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--patients", type=int, default=1000)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--fixture", default=None, help="prebuilt research_fixture binary")
    args = parser.parse_args()

    base = pathlib.Path(tempfile.mkdtemp(dir="/dev/shm" if pathlib.Path("/dev/shm").is_dir() else None))
    db, key = base / "healing.db", base / "healing.key"
    command = (
        [args.fixture]
        if args.fixture
        else ["cargo", "run", "--quiet", "--release", "-p", "healing-py", "--example", "research_fixture", "--"]
    )
    started = time.perf_counter()
    subprocess.run([*command, str(db), str(key), str(args.patients), str(args.days)], cwd=ROOT, check=True)
    print(f"fixture patients={args.patients} days={args.days} seconds={time.perf_counter() - started:.1f} "
          f"size_mib={db.stat().st_size / 2**20:.1f}")

    baseline = peak_rss_mib()
    started = time.perf_counter()
    study = research.connect(f"sqlite://{db}", study_key=b"benchmark-study-key-0001",
                             encryption_key_file=str(key), cut_off="2027-01-01T00:00:00Z")
    opened = time.perf_counter() - started
    frames = {}
    for name in ("people", "moods", "assessments", "outcomes", "appointments", "safety_events", "pet_engagement"):
        began = time.perf_counter()
        frames[name] = research.table(study, name)
        print(f"table {name} rows={len(frames[name])} seconds={time.perf_counter() - began:.2f}")
    total = time.perf_counter() - started
    rows = sum(len(frame) for frame in frames.values())
    frame_mib = sum(frame.memory_usage(deep=True).sum() for frame in frames.values()) / 2**20
    print(f"load connect_seconds={opened:.2f} total_seconds={total:.2f} rows={rows} "
          f"peak_rss_mib={peak_rss_mib():.0f} rss_before_mib={baseline:.0f} dataframes_mib={frame_mib:.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
