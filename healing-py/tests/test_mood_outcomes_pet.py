"""healing.mood, healing.outcomes and healing.pet through the bindings."""

from __future__ import annotations

import datetime
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import healing
from healing import mood, outcomes, pet

UTC = datetime.timezone.utc


def diary(days: int, first: datetime.date = datetime.date(2026, 3, 2)) -> list[dict[str, object]]:
    entries: list[dict[str, object]] = []
    for offset in range(days):
        day = first + datetime.timedelta(days=offset)
        entries.append(
            {
                "day": day,
                "recorded_at": datetime.datetime.combine(day, datetime.time(20), UTC),
                "mood": 3 + offset // 7,
                "sleep": 6,
            }
        )
    return entries


def test_a_rising_diary_reads_as_improving() -> None:
    summary = mood.summarise(diary(28), datetime.date(2026, 3, 29))
    assert summary["days_logged"] == 28
    assert summary["streaks"]["current"]["days"] == 28
    assert summary["trend"]["estimated"]["direction"] == "improving"


def test_mood_window_limits_the_days() -> None:
    summary = mood.summarise(diary(28), "2026-03-29", first="2026-03-02", last="2026-03-08")
    assert summary["days_logged"] == 7


def test_rejects_mood_out_of_range_and_reversed_window() -> None:
    entry = diary(1)[0] | {"mood": 11}
    with pytest.raises(healing.MoodError) as raised:
        mood.summarise([entry], "2026-03-02")
    assert raised.value.kind == "rating_out_of_range"
    with pytest.raises(healing.MoodError) as raised:
        mood.summarise(diary(2), "2026-03-02", first="2026-03-05", last="2026-03-01")
    assert raised.value.kind == "range_reversed"
    with pytest.raises(healing.InvalidInputError):
        mood.summarise(diary(2), "2026-03-02", first="2026-03-05")


@settings(max_examples=25)
@given(st.randoms(use_true_random=False))
def test_summary_does_not_depend_on_entry_order(shuffler: random.Random) -> None:
    entries = diary(21)
    shuffled = entries[:]
    shuffler.shuffle(shuffled)
    assert mood.summarise(shuffled, "2026-03-22") == mood.summarise(entries, "2026-03-22")


def course(person: str, first: tuple[int, int], last: tuple[int, int]) -> dict[str, object]:
    return {
        "person": person,
        "problem_descriptor": "depression",
        "sessions": [
            {
                "at": "2026-01-05T10:00:00Z",
                "kind": "assessment_and_treatment",
                "scores": [{"measure": "phq9", "value": first[0]}, {"measure": "gad7", "value": first[1]}],
            },
            {"at": "2026-01-12T10:00:00Z", "kind": "treatment", "scores": []},
            {
                "at": "2026-02-02T10:00:00Z",
                "kind": "treatment",
                "scores": [{"measure": "phq9", "value": last[0]}, {"measure": "gad7", "value": last[1]}],
            },
        ],
    }


def test_cohort_outcomes_come_back_in_order() -> None:
    cohort = [course("p1", (18, 14), (6, 5)), course("p2", (18, 14), (17, 13))]
    results = outcomes.course_outcomes(cohort)
    assert [result["person"] for result in results] == ["p1", "p2"]
    assert results[0]["result"]["recovery"]["value"] == "recovered"
    assert results[1]["result"]["recovery"]["value"] == "not_recovered"
    frame = outcomes.outcomes_frame(cohort)
    assert list(frame["reliable_recovery"]) == ["reliably_recovered", "not_reliably_recovered"]


def test_rejects_out_of_range_score_naming_the_course() -> None:
    with pytest.raises(healing.OutcomesError, match="^course 1: score for phq9 at session 1 is 30") as raised:
        outcomes.course_outcomes([course("p1", (18, 14), (6, 5)), course("p2", (30, 14), (6, 5))])
    assert raised.value.kind == "score_out_of_range"


def test_measures_carry_thresholds() -> None:
    phq9 = next(measure for measure in outcomes.measures() if measure["id"] == "phq9")
    assert phq9["caseness_threshold"] == "10"
    assert phq9["reliable_change_index"] == "6"


def test_pet_rewards_a_mood_log_and_never_goes_below_floors() -> None:
    state = pet.adopt("Biscuit", "hedgehog", "2026-03-01T09:00:00Z")
    stepped = pet.step(state, {"kind": "complete_activity", "activity": "mood_log"}, "2026-03-01T09:05:00Z")
    assert any(outcome["kind"] == "activity_rewarded" for outcome in stepped["outcomes"])
    later = pet.observe(stepped["state"], "2026-04-01T09:00:00Z")
    assert later["coins"] == stepped["state"]["coins"]


def test_pet_errors_are_typed() -> None:
    with pytest.raises(healing.PetError) as raised:
        pet.adopt("   ", "hedgehog", "2026-03-01T09:00:00Z")
    assert raised.value.kind == "name_blank"
    state = pet.adopt("Biscuit", "hedgehog", "2026-03-01T09:00:00Z")
    with pytest.raises(healing.PetError) as raised:
        pet.step(state, {"kind": "buy", "item": "crown"}, "2026-03-01T09:05:00Z")
    assert raised.value.kind == "not_enough_coins"
    with pytest.raises(healing.InvalidInputError):
        pet.step(state, {"kind": "dance"}, "2026-03-01T09:05:00Z")
