"""The package itself: exception hierarchy, typing stubs in step with the module."""

from __future__ import annotations

import pathlib
import subprocess
import sys

import healing

PYPROJECT = pathlib.Path(__file__).resolve().parents[1] / "pyproject.toml"


def test_every_error_is_a_healing_error() -> None:
    for name in [
        "InvalidInputError",
        "TimestampError",
        "IdentifierError",
        "ScoringError",
        "OutcomesError",
        "MoodError",
        "ConsentError",
        "PetError",
        "StoreError",
        "ResearchError",
        "FhirError",
        "PluginError",
        "PluginTimeoutError",
        "PluginMemoryLimitError",
        "PluginTrapError",
        "PluginMalformedOutputError",
        "PluginSchemaError",
        "PluginContractError",
        "PluginDisabledError",
    ]:
        error_type = getattr(healing, name)
        assert issubclass(error_type, healing.HealingError), name
        assert error_type.__module__ == "healing"
        assert error_type.__doc__


def test_package_is_typed() -> None:
    assert (pathlib.Path(healing.__file__).parent / "py.typed").exists()


def test_stubs_match_the_compiled_module() -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "mypy.stubtest", "healing", "--mypy-config-file", str(PYPROJECT)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr


def test_import_healing_is_enough_for_every_submodule() -> None:
    # A fresh interpreter, so no test has imported a submodule yet (see issue 13:
    # `healing.scoring` raised AttributeError after a plain `import healing`).
    script = (
        "import sys, healing\n"
        "assert 'healing.plugins' not in sys.modules\n"
        "score = healing.scoring.score('phq9', [1, 1, 1, 1, 1, 1, 1, 1, 0])\n"
        "assert score.total == 8, score\n"
        "for name in healing._SUBMODULES:\n"
        "    assert getattr(healing, name).__name__ == 'healing.' + name\n"
        "    assert name in dir(healing)\n"
        "try:\n"
        "    healing.no_such_module\n"
        "except AttributeError:\n"
        "    pass\n"
        "else:\n"
        "    raise AssertionError('an unknown attribute must raise AttributeError')\n"
    )
    completed = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
