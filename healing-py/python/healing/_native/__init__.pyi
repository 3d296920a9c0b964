"""Native core of the healing package; import ``healing`` instead."""

from healing._native import consent as consent
from healing._native import fhir as fhir
from healing._native import mood as mood
from healing._native import outcomes as outcomes
from healing._native import pet as pet
from healing._native import plugins as plugins
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
    "PluginContractError",
    "PluginDisabledError",
    "PluginError",
    "PluginMalformedOutputError",
    "PluginMemoryLimitError",
    "PluginSchemaError",
    "PluginTimeoutError",
    "PluginTrapError",
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
    "plugins",
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

class PluginError(HealingError):
    """A plugin could not be installed, loaded or called (the host keeps serving)."""

    plugin: str | None

class PluginTimeoutError(PluginError):
    """A plugin call ran past its deadline (or used up its fuel) and was stopped."""

class PluginMemoryLimitError(PluginError):
    """A plugin tried to grow its memory past its cap."""

class PluginTrapError(PluginError):
    """A plugin trapped (a panic, unreachable code, an out-of-bounds access)."""

class PluginMalformedOutputError(PluginError):
    """A plugin returned output that breaks the contract or is over its output cap."""

class PluginSchemaError(PluginError):
    """A CBT tool's input or output does not match the JSON Schema the tool declares."""

class PluginContractError(PluginError):
    """A component was built for another contract version or world, or is not a plugin."""

class PluginDisabledError(PluginError):
    """A plugin is disabled after failing repeatedly, until it is re-enabled."""
