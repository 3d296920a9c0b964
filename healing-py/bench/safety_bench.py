"""Benchmark: healing.safety.assess_many on N messages from Python against the
native Rust throughput, on 1 and 2 threads.

Usage (from the repository root, with the wheel installed in .venv):
    .venv/bin/python healing-py/bench/safety_bench.py [--messages 1000000] [--threads 2]
It builds and runs the native baseline with cargo itself (release unless --native-profile says otherwise).
"""

from __future__ import annotations

import argparse
import pathlib
import subprocess
import sys
import time

from corpus import write_corpus

import healing.safety as safety

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parents[1]


def timed(label: str, count: int, run: object, repeat: int) -> float:
    """Best of `repeat` runs (the machine is shared; the best run is the least disturbed).

    Times the call that returns every result, as the native baseline does; the
    results are freed after the clock stops, on both sides.
    """
    seconds = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        results = run()  # type: ignore[operator]
        seconds = min(seconds, time.perf_counter() - started)
        del results
    rate = count / seconds
    print(f"python {label} messages={count} seconds={seconds:.3f} messages_per_second={rate:.0f}")
    return rate


def time_freeing(texts: list[str]) -> float:
    """Seconds CPython takes to free one assess_many result (not in the timings above)."""
    results = safety.assess_many(texts)
    started = time.perf_counter()
    del results
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=1_000_000)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--native-profile", default="release",
                        help="cargo profile of the native baseline; match the wheel's (HEALING_PY_PROFILE)")
    parser.add_argument("--corpus", type=pathlib.Path, default=pathlib.Path("/tmp/healing-bench/corpus.txt"))
    args = parser.parse_args()

    write_corpus(args.corpus, args.messages)
    # `native`: the engine, each assessment freed by its worker (the baseline);
    # `native-kept`: every assessment kept in order, as assess_many returns them.
    native_rates: dict[int, float] = {}
    kept_rates: dict[int, float] = {}
    control = 0.0
    for _ in range(args.repeat):
        native = subprocess.run(
            ["cargo", "run", "--quiet", "--profile", args.native_profile, "--locked", "-p", "healing-core", "--example", "safety_throughput", "--",
             str(args.corpus), str(args.threads)],
            cwd=ROOT, check=True, capture_output=True, text=True,
        ).stdout
        print(native, end="")
        for line in native.splitlines():
            if line.startswith("control "):
                control = max(control, float(line.split("speedup=")[1].split()[0]))
            if not line.startswith("native"):
                continue
            rates_of = native_rates if line.startswith("native ") else kept_rates
            threads = int(line.split("threads=")[1].split()[0])
            rate = float(line.split("messages_per_second=")[1].split()[0])
            rates_of[threads] = max(rate, rates_of.get(threads, 0.0))
    print("native best:", {threads: round(rate) for threads, rate in native_rates.items()})
    print("native-kept best:", {threads: round(rate) for threads, rate in kept_rates.items()})

    texts = args.corpus.read_text(encoding="utf-8").splitlines()
    safety.assess("warm up")
    count = len(texts)
    rates = {}
    for threads in sorted({1, args.threads}):
        rates[("assess_many", threads)] = timed(
            f"assess_many threads={threads}", count, lambda: safety.assess_many(texts, threads=threads), args.repeat
        )
        rates[("assess_columns", threads)] = timed(
            f"assess_columns threads={threads}", count, lambda: safety.assess_columns(texts, threads=threads), args.repeat
        )
    for (name, threads), rate in sorted(rates.items()):
        print(f"ratio {name} threads={threads} python/native={rate / native_rates[threads]:.2f} "
              f"python/native-kept={rate / kept_rates[threads]:.2f}")
    freeing = time_freeing(texts)
    print(f"freeing the {count} Assessment objects of assess_many afterwards: {freeing:.3f} s")
    one, many = rates[("assess_many", 1)], rates[("assess_many", args.threads)]
    print(f"speed-up assess_many 1->{args.threads} threads: {many / one:.2f}x "
          f"(native {native_rates[args.threads] / native_rates[1]:.2f}x, "
          f"work sharing nothing {control:.2f}x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
