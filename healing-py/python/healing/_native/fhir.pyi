import datetime
from typing import Any, Literal, Mapping, Sequence

from healing._native.consent import Ledger
from healing._native.safety import Assessment
from healing._native.scoring import Score

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

_Instant = datetime.datetime | str
_Resource = dict[str, Any]

def questionnaire(instrument_id: str, date: _Instant) -> _Resource: ...
def completed_instrument(
    instrument_id: str,
    answers: Sequence[int | None],
    subject: str,
    authored: _Instant,
    *,
    pseudonym_key: bytes | None = None,
) -> tuple[_Resource, _Resource]: ...
def import_questionnaire_response(resource: str | Mapping[str, Any]) -> tuple[Score, _Resource]: ...
def mood_observation(
    entry: Mapping[str, Any], subject: str, *, pseudonym_key: bytes | None = None, include_note: bool = False
) -> _Resource: ...
def safety_alert(
    assessment: Assessment,
    subject: str,
    assessed_at: _Instant,
    *,
    resolved_at: _Instant | None = None,
    pseudonym_key: bytes | None = None,
    include_text: bool = False,
) -> dict[str, _Resource | None]: ...
def consents(ledger: Ledger, *, pseudonym_key: bytes | None = None) -> list[_Resource]: ...
def patient(
    person: str,
    *,
    nhs_number: str | None = None,
    given: Sequence[str] | None = None,
    family: str | None = None,
    birth_date: datetime.date | str | None = None,
    gender: str | None = None,
) -> _Resource: ...
def research_patient(
    person: str,
    pseudonym_key: bytes,
    *,
    birth_date: datetime.date | str | None = None,
    gender: str | None = None,
) -> _Resource: ...
def bundle(
    resources: Sequence[Mapping[str, Any]],
    *,
    bundle_id: str,
    timestamp: _Instant,
    kind: Literal["collection", "transaction"] = "collection",
) -> _Resource: ...
def sign(payload: Any, key_id: str, secret: bytes) -> str: ...
def verify(payload: Any, signature: str, key_id: str, secret: bytes) -> None: ...
def signed_provenance(
    provenance_id: str,
    targets: Sequence[Mapping[str, Any]],
    recorded: _Instant,
    exporter: str,
    key_id: str,
    secret: bytes,
) -> _Resource: ...
def verify_provenance(
    provenance: Mapping[str, Any], targets: Sequence[Mapping[str, Any]], key_id: str, secret: bytes
) -> None: ...
