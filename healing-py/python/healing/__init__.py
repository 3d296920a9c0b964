"""Healing for researchers.

Score validated questionnaires (``healing.scoring``), compute NHS Talking Therapies
outcomes (``healing.outcomes``), summarise mood diaries (``healing.mood``), keep
consent ledgers (``healing.consent``), run the companion pet engine
(``healing.pet``), screen text for risk (``healing.safety``), and run the
service's WebAssembly risk rules and CBT tools (``healing.plugins``). Every clinical rule
runs in the Rust engine ``healing-core``; this package only carries values in and
results out.

Every error the package raises on purpose is a ``HealingError``; each engine module
has its own subclass, and every exception has a ``kind`` attribute naming the
problem in ``snake_case`` (for example ``"answer_above_maximum"``).
"""

from healing._native import (
    ConsentError as ConsentError,
    FhirError as FhirError,
    HealingError as HealingError,
    IdentifierError as IdentifierError,
    InvalidInputError as InvalidInputError,
    MoodError as MoodError,
    OutcomesError as OutcomesError,
    PetError as PetError,
    PluginContractError as PluginContractError,
    PluginDisabledError as PluginDisabledError,
    PluginError as PluginError,
    PluginMalformedOutputError as PluginMalformedOutputError,
    PluginMemoryLimitError as PluginMemoryLimitError,
    PluginSchemaError as PluginSchemaError,
    PluginTimeoutError as PluginTimeoutError,
    PluginTrapError as PluginTrapError,
    ResearchError as ResearchError,
    ScoringError as ScoringError,
    StoreError as StoreError,
    TimestampError as TimestampError,
    __version__ as __version__,
)

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
]
