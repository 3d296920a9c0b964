"""healing.fhir: export, import-and-score round trips, pseudonymised subjects and signatures."""

from __future__ import annotations

import copy
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import healing
from healing import consent, fhir, safety, scoring

AT = "2026-03-01T09:00:00Z"
SECRET = b"0123456789abcdef0123456789abcdef"
PSEUDONYM_KEY = b"research-pseudonym-key-0001-32byt"


def test_questionnaire_lists_every_item() -> None:
    resource = fhir.questionnaire("phq9", AT)
    assert resource["resourceType"] == "Questionnaire"
    assert len(resource["item"]) == 9


@settings(max_examples=20, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=3), min_size=9, max_size=9))
def test_export_then_import_gives_the_same_score(answers: list[int]) -> None:
    response, observation = fhir.completed_instrument("phq9", answers, "patient-1", AT)
    assert response["resourceType"] == "QuestionnaireResponse"
    assert observation["resourceType"] == "Observation"
    score, imported = fhir.import_questionnaire_response(json.dumps(response))
    assert score == scoring.score("phq9", answers)
    assert imported["valueQuantity"]["value"] == sum(answers)
    again, _ = fhir.import_questionnaire_response(response)
    assert again == score


def test_import_names_the_problem() -> None:
    response, _ = fhir.completed_instrument("gad7", [1] * 7, "patient-1", AT)
    broken = copy.deepcopy(response)
    broken["status"] = "in-progress"
    with pytest.raises(healing.FhirError) as raised:
        fhir.import_questionnaire_response(broken)
    assert raised.value.kind
    with pytest.raises(healing.FhirError):
        fhir.import_questionnaire_response("{not json")


def test_pseudonymised_subject_hides_the_person_id() -> None:
    response, observation = fhir.completed_instrument(
        "phq9", [1] * 9, "patient-0042", AT, pseudonym_key=PSEUDONYM_KEY
    )
    text = json.dumps([response, observation])
    assert "patient-0042" not in text
    patient = fhir.research_patient("patient-0042", PSEUDONYM_KEY, birth_date="1984-05-17")
    assert "patient-0042" not in json.dumps(patient)
    assert "name" not in patient and "1984-05-17" not in json.dumps(patient)


def test_patient_checks_the_nhs_number() -> None:
    resource = fhir.patient("patient-1", nhs_number="943 476 5919", given=["Alice"], family="Example")
    assert resource["resourceType"] == "Patient"
    with pytest.raises(healing.FhirError) as raised:
        fhir.patient("patient-1", nhs_number="943 476 5918")
    assert raised.value.kind == "nhs_number_check_digit"


def test_consents_follow_the_ledger() -> None:
    ledger = consent.Ledger("patient-1")
    ledger.grant("research", AT, "research-v1")
    ledger.withdraw("research", "2026-06-01T00:00:00Z", "research-v1")
    resources = fhir.consents(ledger)
    assert resources and all(resource["resourceType"] == "Consent" for resource in resources)


def test_safety_alert_flags_high_risk_without_text_by_default() -> None:
    text = "I've saved up my pills and I'm taking them tonight"
    alert = fhir.safety_alert(safety.assess(text), "patient-1", AT)
    assert alert["risk_assessment"]["resourceType"] == "RiskAssessment"
    assert alert["flag"] is not None
    assert "pills" not in json.dumps(alert)
    calm = fhir.safety_alert(safety.assess("lovely walk today"), "patient-1", AT)
    assert calm["flag"] is None


def test_safety_alert_of_a_resolved_alert_is_an_inactive_flag_with_its_period_ended() -> None:
    assessment = safety.assess("I've saved up my pills and I'm taking them tonight")
    resolved = fhir.safety_alert(assessment, "patient-1", AT, resolved_at="2026-03-02T10:30:00Z")
    assert resolved["flag"]["status"] == "inactive"
    assert resolved["flag"]["period"] == {"start": AT, "end": "2026-03-02T10:30:00Z"}
    still_open = fhir.safety_alert(assessment, "patient-1", AT)
    assert still_open["flag"]["status"] == "active"
    assert "end" not in still_open["flag"]["period"]
    with pytest.raises(healing.FhirError) as raised:
        fhir.safety_alert(assessment, "patient-1", AT, resolved_at="2026-03-01T08:59:59Z")
    assert raised.value.kind == "flag_resolved_before_raised"
    with pytest.raises(healing.TimestampError):
        fhir.safety_alert(assessment, "patient-1", AT, resolved_at="yesterday")


def test_signatures_detect_any_change() -> None:
    payload = {"b": [1, 2, 3], "a": "x"}
    signature = fhir.sign(payload, "key-1", SECRET)
    fhir.verify({"a": "x", "b": [1, 2, 3]}, signature, "key-1", SECRET)
    with pytest.raises(healing.FhirError):
        fhir.verify({"a": "y", "b": [1, 2, 3]}, signature, "key-1", SECRET)
    with pytest.raises(healing.FhirError):
        fhir.verify(payload, signature, "key-1", b"another-secret-another-secret-00")


def test_provenance_signs_a_bundle_of_targets() -> None:
    response, observation = fhir.completed_instrument("phq9", [2] * 9, "patient-1", AT)
    provenance = fhir.signed_provenance("export-1", [response, observation], AT, "healing tests", "key-1", SECRET)
    fhir.verify_provenance(provenance, [response, observation], "key-1", SECRET)
    tampered = copy.deepcopy(observation)
    tampered["valueInteger"] = 3
    with pytest.raises(healing.FhirError):
        fhir.verify_provenance(provenance, [response, tampered], "key-1", SECRET)
    bundle = fhir.bundle([response, observation, provenance], bundle_id="export-1", timestamp=AT)
    assert bundle["resourceType"] == "Bundle" and len(bundle["entry"]) == 3
    with pytest.raises(healing.InvalidInputError):
        fhir.bundle([response], bundle_id="x", timestamp=AT, kind="batch")  # type: ignore[arg-type]


def test_mood_observation_keeps_notes_out_unless_asked() -> None:
    entry = {"day": "2026-03-01", "recorded_at": AT, "mood": 6, "note": "a walk with my sister"}
    plain = fhir.mood_observation(entry, "patient-1")
    assert "sister" not in json.dumps(plain)
    noted = fhir.mood_observation(entry, "patient-1", include_note=True)
    assert "sister" in json.dumps(noted)
