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

``import healing`` is enough: each submodule is imported the first time it is
used (``healing.scoring.score(...)``), as SciPy does (PEP 562), so a script that
needs only scoring never loads the plugin host or the research reader.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

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

#: The submodules ``healing.<name>`` loads on first use.
_SUBMODULES = (
    "consent",
    "fhir",
    "mood",
    "outcomes",
    "pet",
    "plugins",
    "research",
    "safety",
    "scoring",
)

if TYPE_CHECKING:
    from healing import consent as consent
    from healing import fhir as fhir
    from healing import mood as mood
    from healing import outcomes as outcomes
    from healing import pet as pet
    from healing import plugins as plugins
    from healing import research as research
    from healing import safety as safety
    from healing import scoring as scoring


def __getattr__(name: str) -> object:
    """Imports a submodule the first time ``healing.<name>`` is read."""
    if name in _SUBMODULES:
        module = importlib.import_module(f"healing.{name}")
        globals()[name] = module
        return module
    raise AttributeError(f"module 'healing' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_SUBMODULES))


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
