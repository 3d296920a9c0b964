"""Native core of the healing package; import ``healing`` instead."""

from healing._native import consent as consent
from healing._native import fhir as fhir
from healing._native import mood as mood
from healing._native import outcomes as outcomes
from healing._native import pet as pet
from healing._native import research as research
from healing._native import safety as safety
from healing._native import scoring as scoring

__all__ = [
    "ConsentError",
    "FhirError",
    "HealingError",
    "IdentifierError",
    "InvalidInputError",
    "MoodError",
    "OutcomesError",
    "PetError",
    "ResearchError",
    "ScoringError",
    "StoreError",
    "TimestampError",
    "__version__",
    "consent",
    "fhir",
    "mood",
    "outcomes",
    "pet",
    "research",
    "safety",
    "scoring",
]

__version__: str

class HealingError(Exception):
    """Base class of every error the healing package raises on purpose."""

    kind: str

class InvalidInputError(HealingError):
    """A Python value has the wrong type or shape for what was asked."""

class TimestampError(HealingError):
    """A timestamp is not an RFC 3339 date-time or is out of range."""

class IdentifierError(HealingError):
    """A person id is empty, too long or holds white space."""

class ScoringError(HealingError):
    """Questionnaire answers could not be validated for scoring."""

class OutcomesError(HealingError):
    """A Talking Therapies course could not be checked."""

class MoodError(HealingError):
    """A mood entry or date range was rejected."""

class ConsentError(HealingError):
    """A consent event or wording version was rejected."""

class PetError(HealingError):
    """A pet could not be created, read back or changed."""

class StoreError(HealingError):
    """The database could not be opened or read (research access)."""

class ResearchError(HealingError):
    """A research export was asked for something it may not give, or was set up wrongly."""

class FhirError(HealingError):
    """A FHIR resource could not be built, imported or verified."""
