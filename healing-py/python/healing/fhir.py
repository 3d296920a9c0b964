"""FHIR R4 export, import-and-score and signatures.

Resources are FHIR JSON dicts built and checked by the engine (fhir-sdk R4B models,
whose element names match R4 4.0.1). Give ``pseudonym_key`` to refer to a person by
their keyed pseudonym (research) instead of their id (direct care).
"""

from healing._native.fhir import (
    bundle as bundle,
    completed_instrument as completed_instrument,
    consents as consents,
    import_questionnaire_response as import_questionnaire_response,
    mood_observation as mood_observation,
    patient as patient,
    questionnaire as questionnaire,
    research_patient as research_patient,
    safety_alert as safety_alert,
    sign as sign,
    signed_provenance as signed_provenance,
    verify as verify,
    verify_provenance as verify_provenance,
)

__all__ = [
    "bundle",
    "completed_instrument",
    "consents",
    "import_questionnaire_response",
    "mood_observation",
    "patient",
    "questionnaire",
    "research_patient",
    "safety_alert",
    "sign",
    "signed_provenance",
    "verify",
    "verify_provenance",
]
