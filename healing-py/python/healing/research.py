"""Research access to a Healing server database: consented, pseudonymised tables.

``connect(database_url, study_key=..., encryption_key_file=...)`` opens the
database read-only through the server's own storage code and returns a ``Study``.
Only people whose consent ledger allows the ``research`` purpose at the time of each
record appear; everyone appears under a keyed pseudonym; names, usernames, emails
and NHS numbers never leave; dates are shifted per person or truncated; free text
leaves only when asked for, with UK identifiers redacted. ``study.manifest()``
records what left for the data protection officer.

Tables come back as pandas DataFrames (``table(study, "moods")``) or pyarrow
Tables (``table(study, "moods", kind="arrow")``). The columns are built in Rust and
handed over as Python lists (pyo3-arrow was not used: it pulls a second arrow
build into every wheel build).
"""

from __future__ import annotations

import json
import pathlib
from typing import TYPE_CHECKING, Any, Literal

from healing._native.research import Study as Study, connect as connect

if TYPE_CHECKING:
    import pandas as _pandas

__all__ = ["TABLES", "Study", "connect", "table", "tables", "write_manifest"]

#: The tables a study can export, by name.
TABLES = (
    "people",
    "moods",
    "assessments",
    "outcomes",
    "appointments",
    "safety_events",
    "pet_engagement",
    "community_posts",
)

#: Columns that hold calendar days (ISO strings from the engine).
_DAY_COLUMNS = ("day", "opened", "consented_from")


def table(study: Study, name: str, *, kind: Literal["pandas", "arrow"] = "pandas") -> Any:
    """One table of ``study`` as a pandas DataFrame (``kind="pandas"``, default;
    day columns become ``datetime64``) or a pyarrow Table (``kind="arrow"``; day
    columns become ``date32``).
    """
    if name not in TABLES:
        raise ValueError(f"unknown table {name!r}; choose one of {', '.join(TABLES)}")
    columns: dict[str, list[Any]] = getattr(study, name)()
    if kind == "arrow":
        import pyarrow

        arrays = {}
        for column, values in columns.items():
            if column in _DAY_COLUMNS:
                arrays[column] = pyarrow.array(values, type=pyarrow.string()).cast(pyarrow.date32())
            else:
                arrays[column] = pyarrow.array(values)
        return pyarrow.table(arrays)
    import pandas

    frame = pandas.DataFrame(columns)
    for column in _DAY_COLUMNS:
        if column in frame.columns:
            frame[column] = pandas.to_datetime(frame[column], format="%Y-%m-%d")
    return frame


def tables(study: Study) -> dict[str, _pandas.DataFrame]:
    """Every table the study may export (community posts only with free text), as DataFrames."""
    names = [name for name in TABLES if name != "community_posts" or study.free_text]
    return {name: table(study, name) for name in names}


def write_manifest(study: Study, path: str | pathlib.Path) -> dict[str, Any]:
    """Write ``study.manifest()`` as JSON to ``path`` and return it."""
    manifest: dict[str, Any] = study.manifest()
    pathlib.Path(path).write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return manifest
