"""healing.research: consent gate, pseudonyms, dates, redaction and the manifest,
against an invented clinic written through the server's storage code, once on SQLite
and once on PostgreSQL (the `clinic` fixture in conftest.py)."""

from __future__ import annotations

import datetime
import json
import re
from typing import Any

import pandas as pd
import pyarrow as pa
import pytest
from conftest import IDENTIFIERS, Clinic
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import healing
from healing import research

KEY = b"study-key-0001-for-the-tests"
OTHER_KEY = b"study-key-0002-another-study"


def open_study(clinic: Clinic, **options: Any) -> research.Study:
    options.setdefault("study_key", KEY)
    options.setdefault("cut_off", clinic.day(clinic.days))
    return research.connect(clinic.url, encryption_key_file=clinic.key_file, **options)


def days_by_person(study: research.Study) -> dict[str, list[str]]:
    moods = study.moods()
    days: dict[str, list[str]] = {}
    for person, day in zip(moods["person"], moods["day"]):
        days.setdefault(person, []).append(day)
    return days


def test_only_consented_patients_appear(clinic: Clinic) -> None:
    study = open_study(clinic, dates="day")
    people = study.manifest()["people"]
    # Six patients and one clinician; Bob and the clinician never consented to
    # research; Carol withdrew before the cut-off.
    assert people["read"] == 7
    assert people["excluded_never_consented"] == 2
    assert people["excluded_not_consented_at_cut_off"] == 1
    assert people["included"] == 4
    assert len(study.people()["person"]) == 4
    assert set(days_by_person(study)) == set(study.people()["person"])


def test_records_before_a_grant_are_excluded(clinic: Clinic) -> None:
    study = open_study(clinic, dates="day")
    first_days = sorted(min(days) for days in days_by_person(study).values())
    # Dan granted on day 30 (2026-01-31); everyone else on day 0.
    assert first_days[-1] >= "2026-01-31"
    assert first_days[0] < "2026-01-31"
    assert study.manifest()["tables"]["moods"]["rows_excluded_by_consent"] > 0


def test_withdrawal_removes_records_after_its_time(clinic: Clinic) -> None:
    study = open_study(clinic, dates="day", withdrawn="keep_earlier_records")
    last_days = {person: max(days) for person, days in days_by_person(study).items()}
    assert len(last_days) == 5
    # Carol withdrew on day 60 (2026-03-02): exactly one person stops before it.
    stopped = [person for person, last in last_days.items() if last < "2026-03-02"]
    assert len(stopped) == 1
    carol = stopped[0]
    for table in (study.assessments(), study.appointments(), study.safety_events()):
        carol_days = [day for person, day in zip(table["person"], table["day"]) if person == carol]
        assert all(day < "2026-03-02" for day in carol_days)


def test_withdrawn_person_disappears_by_default(clinic: Clinic) -> None:
    before = open_study(clinic, dates="day", cut_off=clinic.day(50))
    after = open_study(clinic, dates="day")
    # On day 50 Carol still consents (and Dan already does); by day 120 she has withdrawn.
    assert before.manifest()["people"]["included"] == 5
    assert after.manifest()["people"]["included"] == 4
    before_people = set(before.people()["person"])
    after_people = set(after.people()["person"])
    assert after_people < before_people
    assert len(before_people - after_people) == 1
    carol = (before_people - after_people).pop()
    assert carol not in set(after.moods()["person"])


def test_pseudonyms_are_stable_within_a_study_and_differ_across_keys(clinic: Clinic) -> None:
    first = set(open_study(clinic).people()["person"])
    again = set(open_study(clinic).people()["person"])
    other = set(open_study(clinic, study_key=OTHER_KEY).people()["person"])
    assert first == again
    assert len(other) == len(first)
    assert first.isdisjoint(other)
    assert all(len(pseudonym) == 33 and pseudonym.startswith("p") for pseudonym in first)


def test_no_column_holds_an_identifier(clinic: Clinic) -> None:
    study = open_study(clinic, free_text=True, withdrawn="keep_earlier_records")
    exported = research.tables(study)
    assert "note" in exported["moods"].columns and "text" in exported["community_posts"].columns
    assert exported["moods"]["note"].notna().sum() > 10
    cells = [
        str(value)
        for frame in exported.values()
        for column in frame.columns
        for value in list(frame[column]) + [column]
    ]
    text = "\n".join(cells)
    for identifier in IDENTIFIERS:
        assert identifier.lower() not in text.lower(), identifier
    names = re.findall(r"\b(?:Alice|Bob|Carol|Dan|Pat\d+|Person\d+|Fixture)\b", text, flags=re.IGNORECASE)
    assert names == []
    for tag in ["[NAME]", "[EMAIL]", "[NHS_NUMBER]", "[PHONE]", "[POSTCODE]"]:
        assert tag in text, tag
    manifest = json.dumps(study.manifest())
    assert KEY.decode() not in manifest


def test_free_text_stays_out_unless_asked_for(clinic: Clinic) -> None:
    study = open_study(clinic)
    assert "note" not in study.moods()
    with pytest.raises(healing.ResearchError) as raised:
        study.community_posts()
    assert raised.value.kind == "free_text_not_requested"


def test_dates_shift_per_person_keeping_intervals(clinic: Clinic) -> None:
    exact = open_study(clinic, dates="day").moods()
    shifted = open_study(clinic, dates="shift", max_shift_days=30).moods()
    assert exact["person"] == shifted["person"]
    offsets: dict[str, set[int]] = {}
    for person, day, moved in zip(exact["person"], exact["day"], shifted["day"]):
        delta = (datetime.date.fromisoformat(moved) - datetime.date.fromisoformat(day)).days
        offsets.setdefault(person, set()).add(delta)
    for deltas in offsets.values():
        assert len(deltas) == 1
        (delta,) = deltas
        assert 1 <= abs(delta) <= 30


def test_dates_truncate_to_week_or_month(clinic: Clinic) -> None:
    weeks = open_study(clinic, dates="week").moods()["day"]
    months = open_study(clinic, dates="month").moods()["day"]
    assert all(datetime.date.fromisoformat(day).weekday() == 0 for day in weeks)
    assert all(day.endswith("-01") for day in months)


def test_outcomes_come_from_the_engine(clinic: Clinic) -> None:
    outcomes = research.table(open_study(clinic), "outcomes")
    assert len(outcomes) == 4
    assert set(outcomes["result"]) <= {"measured", "no_paired_scores", "not_finished_treatment"}
    measured = outcomes[outcomes["result"] == "measured"]
    assert len(measured) >= 1
    assert set(measured["recovery"]) <= {"recovered", "not_recovered", "not_at_caseness_at_start"}


def test_tables_as_pandas_and_arrow(clinic: Clinic) -> None:
    study = open_study(clinic)
    frame = research.table(study, "moods")
    assert pd.api.types.is_datetime64_any_dtype(frame["day"])
    arrow = research.table(study, "assessments", kind="arrow")
    assert isinstance(arrow, pa.Table)
    assert arrow.schema.field("day").type == pa.date32()
    assert arrow.schema.field("answers").type == pa.list_(pa.int64())
    pets = research.table(study, "pet_engagement")
    assert "name" not in pets.columns and len(pets) == 4
    with pytest.raises(ValueError):
        research.table(study, "users")


def test_manifest_records_what_left(clinic: Clinic, tmp_path: Any) -> None:
    study = open_study(clinic)
    moods = study.moods()
    study.outcomes()
    manifest = research.write_manifest(study, tmp_path / "manifest.json")
    assert json.loads((tmp_path / "manifest.json").read_text()) == manifest
    assert manifest["study_key_id"] == study.study_key_id
    assert len(manifest["study_key_id"]) == 16
    assert manifest["consent_cut_off"] == clinic.day(clinic.days)
    assert manifest["filters"]["dates"] == "shift"
    assert manifest["filters"]["free_text"] is False
    assert manifest["tables"]["moods"]["rows_exported"] == len(moods["person"])
    assert "outcomes" in manifest["tables"]
    assert open_study(clinic, study_key=OTHER_KEY).study_key_id != study.study_key_id
    assert manifest["database_backend"] == clinic.backend


def test_reading_never_changes_the_database(clinic: Clinic) -> None:
    before = clinic.fingerprint()
    study = open_study(clinic, free_text=True)
    research.tables(study)
    study.manifest()
    assert clinic.fingerprint() == before


def test_rejects_bad_options(clinic: Clinic) -> None:
    with pytest.raises(healing.ResearchError) as raised:
        open_study(clinic, study_key=b"short")
    assert raised.value.kind == "study_key_too_short"
    with pytest.raises(healing.InvalidInputError):
        open_study(clinic, dates="year")
    with pytest.raises(healing.InvalidInputError):
        open_study(clinic, withdrawn="forget")
    with pytest.raises(healing.ResearchError) as raised:
        research.connect(clinic.url, study_key=KEY, encryption_key="not a key")
    assert raised.value.kind == "invalid_encryption_key"
    with pytest.raises(healing.StoreError):
        research.connect("mysql://nowhere", study_key=KEY, encryption_key_file=clinic.key_file)


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.integers(min_value=0, max_value=130))
def test_no_record_after_the_cut_off_or_outside_consent(clinic: Clinic, cut_off_day: int) -> None:
    study = open_study(clinic, dates="day", cut_off=clinic.day(cut_off_day), withdrawn="keep_earlier_records")
    limit = (datetime.date(2026, 1, 1) + datetime.timedelta(days=cut_off_day)).isoformat()
    for table in (study.moods(), study.assessments(), study.appointments(), study.safety_events()):
        assert all(day <= limit for day in table["day"])
    people = days_by_person(study)
    # Bob never; Dan only from day 30.
    assert len(people) <= 5
