"""healing.safety: single and batch screening, order, threads and frames."""

from __future__ import annotations

import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import healing
from healing import safety

RISKY = "I've saved up my pills and I'm taking them tonight"
BENIGN = "this commute is killing me, but the coffee helped"


def test_assess_finds_critical_risk_with_evidence() -> None:
    result = safety.assess(RISKY)
    assert result.level == "critical"
    assert "suicide" in result.categories
    assert result.findings and result.findings[0]["reason"]
    assert result.rules_version == safety.rules_version()
    assert result.to_dict()["level"] == "critical"


def test_assess_reads_idioms_as_no_risk() -> None:
    assert safety.assess(BENIGN).level == "none"


def test_assess_many_keeps_input_order_across_threads() -> None:
    texts = [RISKY if i % 7 == 0 else f"{BENIGN} {i}" for i in range(5000)]
    one = safety.assess_many(texts, threads=1)
    two = safety.assess_many(texts, threads=2)
    four = safety.assess_many(texts, threads=4)
    assert one == two == four
    assert [result.level for result in one[:8]] == ["critical"] + ["none"] * 6 + ["critical"]
    assert one[14] == safety.assess(RISKY)


def test_assess_columns_keeps_rows_of_missing_texts_in_place_across_threads() -> None:
    body = [RISKY if i % 5 == 0 else None if i % 11 == 0 else f"{BENIGN} {i}" for i in range(3000)]
    texts: list[str | None] = [None, None, *body, None]
    expected = [None if text is None else safety.assess(text) for text in texts]
    for threads in (1, 2, 3):
        columns = safety.assess_columns(texts, threads=threads)
        assert columns["level"] == [None if e is None else e.level for e in expected]
        assert columns["findings"] == [None if e is None else len(e.findings) for e in expected]


@settings(max_examples=30, deadline=None)
@given(st.lists(st.text(max_size=200), max_size=40))
def test_batch_equals_one_by_one(texts: list[str]) -> None:
    assert safety.assess_many(texts, threads=3) == [safety.assess(text) for text in texts]


def test_rejects_non_strings_and_bad_sources() -> None:
    with pytest.raises(healing.InvalidInputError):
        safety.assess_many(["ok", 3])  # type: ignore[list-item]
    with pytest.raises(healing.InvalidInputError):
        safety.assess_many("one string")
    with pytest.raises(healing.InvalidInputError):
        safety.assess("hello", source="carrier_pigeon")
    with pytest.raises(healing.InvalidInputError):
        safety.assess_many(["ok"], threads=0)


def test_assess_series_returns_levels_and_keeps_the_index() -> None:
    series = pd.Series([RISKY, BENIGN, None], index=["a", "b", "c"])
    frame = safety.assess_series(series)
    assert list(frame.index) == ["a", "b", "c"]
    assert frame.loc["a", "level"] == "critical"
    assert frame.loc["b", "level"] == "none"
    assert pd.isna(frame.loc["c", "level"])
    assert (frame["level"] >= "high").tolist() == [True, False, False]
    assert "text" not in frame.columns


def test_assess_arrow_handles_chunked_arrays_and_nulls() -> None:
    array = pa.chunked_array([[RISKY, None], [BENIGN]])
    frame = safety.assess_arrow(array)
    assert frame["level"].tolist()[0] == "critical"
    assert pd.isna(frame["level"].tolist()[1])
    assert frame["findings"].tolist()[2] == 0


def test_assess_many_leaves_the_cycle_collector_as_it_found_it() -> None:
    import gc

    texts = [BENIGN] * 3000
    assert gc.isenabled()
    safety.assess_many(texts)
    assert gc.isenabled()
    gc.disable()
    try:
        safety.assess_many(texts)
        assert not gc.isenabled()
    finally:
        gc.enable()
