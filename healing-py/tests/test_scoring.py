"""healing.scoring: registry, scoring, errors and the DataFrame helper."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import healing
from healing import scoring


def test_phq9_reference_case_has_total_band_and_risk_flag() -> None:
    result = scoring.score("phq9", [2, 2, 1, 2, 1, 1, 2, 1, 1])
    assert result.instrument == "phq9"
    assert result.total == 13
    assert result.band == "moderate"
    assert result.flags[0] == {"flag": "self_harm_thoughts", "item": 9, "answer": 1}
    assert result.needs_clinician_review
    assert result.completeness == "complete"
    assert result.to_dict()["band"]["id"] == "moderate"


def test_registry_lists_every_instrument_with_a_definition() -> None:
    ids = scoring.instruments()
    assert "phq9" in ids and "gad7" in ids and "cssrs_screener" in ids
    for instrument_id in ids:
        definition = scoring.definition(instrument_id)
        assert definition["id"] == instrument_id
        assert definition["items"], instrument_id
        assert definition["source"], instrument_id


def test_rejects_answer_above_the_item_maximum_with_a_typed_error() -> None:
    with pytest.raises(healing.ScoringError) as raised:
        scoring.score("phq9", [0, 0, 4, 0, 0, 0, 0, 0, 0])
    assert raised.value.kind == "answer_above_maximum"
    assert str(raised.value) == "answer to item 3 of phq9 is 4, above the maximum of 3"
    assert isinstance(raised.value, healing.HealingError)


def test_rejects_unknown_instrument() -> None:
    with pytest.raises(healing.ScoringError) as raised:
        scoring.score("phq10", [0] * 10)
    assert raised.value.kind == "unknown_instrument"
    with pytest.raises(healing.ScoringError):
        scoring.definition("phq10")


def test_rejects_wrong_number_of_answers() -> None:
    with pytest.raises(healing.ScoringError) as raised:
        scoring.score("gad7", [1, 1, 1])
    assert raised.value.kind == "wrong_number_of_answers"


def test_a_negative_answer_is_a_python_type_error_not_a_score() -> None:
    with pytest.raises(OverflowError):
        scoring.score("gad7", [-1, 0, 0, 0, 0, 0, 0])


def test_score_objects_compare_by_value() -> None:
    first = scoring.score("gad7", [1, 2, 3, 0, 1, 2, 3])
    second = scoring.score("gad7", [1, 2, 3, 0, 1, 2, 3])
    assert first == second
    assert first != scoring.score("gad7", [0] * 7)
    assert "gad7" in repr(first)


@given(st.lists(st.integers(min_value=0, max_value=3), min_size=9, max_size=9))
def test_phq9_total_is_the_sum_and_the_band_contains_it(answers: list[int]) -> None:
    result = scoring.score("phq9", answers)
    assert result.total == sum(answers)
    bands = scoring.definition("phq9")["bands"]
    containing = [band["id"] for band in bands if band["lowest"] <= sum(answers) <= band["highest"]]
    assert containing == [result.band]
    assert result.needs_clinician_review == (answers[8] > 0)


@given(
    st.lists(st.integers(min_value=0, max_value=3), min_size=7, max_size=7),
    st.integers(min_value=0, max_value=6),
    st.integers(min_value=4, max_value=255),
)
def test_any_answer_above_three_is_rejected(answers: list[int], item: int, value: int) -> None:
    answers[item] = value
    with pytest.raises(healing.ScoringError) as raised:
        scoring.score("gad7", answers)
    assert raised.value.kind == "answer_above_maximum"


def test_score_frame_scores_rows_and_keeps_the_index() -> None:
    frame = pd.DataFrame(
        [[3] * 9, [0] * 9, [1, 1, 1, 1, 1, 1, 1, 1, 0]],
        columns=[f"item_{n}" for n in range(1, 10)],
        index=["a", "b", "c"],
    )
    frame["person"] = ["p1", "p2", "p3"]
    result = scoring.score_frame(frame, "phq9", [f"item_{n}" for n in range(1, 10)])
    assert list(result.index) == ["a", "b", "c"]
    assert list(result["total"]) == [27, 0, 8]
    assert list(result["band"]) == ["severe", "minimal", "mild"]
    assert list(result["needs_clinician_review"]) == [True, False, False]
    assert result["error"].isna().all()


def test_score_frame_records_invalid_rows_when_asked() -> None:
    frame = pd.DataFrame([[1] * 7, [1, 1, 1, None, 1, 1, 1], [9] * 7])
    result = scoring.score_frame(frame, "gad7", invalid="record")
    assert result["total"].iloc[0] == 7
    assert "answer to item 1 of gad7 is 9" in result["error"].iloc[2]
    assert pd.isna(result["total"].iloc[2])


def test_score_frame_raises_naming_the_row() -> None:
    frame = pd.DataFrame([[1] * 7, [9] * 7])
    with pytest.raises(healing.ScoringError, match="^row 1: answer to item 1 of gad7 is 9"):
        scoring.score_frame(frame, "gad7")
