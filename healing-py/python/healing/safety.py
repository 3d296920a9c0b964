"""Risk screening of free text.

``assess(text)`` returns one ``Assessment`` (level, categories, findings);
``Engine(plugins=[...])`` does the same with risk-rule plugins added
(``healing.plugins``), whose findings can raise a level but never lower it;
``assess_many(texts)`` does a batch on every core with the GIL released, results in
input order. ``assess_series`` and ``assess_arrow`` screen a pandas Series or a
pyarrow array and return a DataFrame of levels, categories and findings (no text).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from healing._native.safety import (
    Assessment as Assessment,
    Engine as Engine,
    assess as assess,
    assess_columns as assess_columns,
    assess_many as assess_many,
    levels as levels,
    rules_version as rules_version,
)

if TYPE_CHECKING:
    import pandas as _pandas

__all__ = [
    "Assessment",
    "Engine",
    "assess",
    "assess_arrow",
    "assess_columns",
    "assess_many",
    "assess_series",
    "levels",
    "rules_version",
]


def _frame(columns: dict[str, list[Any]], index: Any = None) -> _pandas.DataFrame:
    import pandas

    frame = pandas.DataFrame(columns, index=index)
    frame["level"] = pandas.Categorical(frame["level"], categories=levels(), ordered=True)
    frame["findings"] = frame["findings"].astype("Int64")
    return frame


def assess_series(
    texts: _pandas.Series, *, source: str | None = None, threads: int | None = None
) -> _pandas.DataFrame:
    """Screen every text of a pandas Series; the result keeps the Series' index.

    Columns: ``level`` (an ordered categorical, so ``frame.level >= "high"`` works),
    ``categories`` and ``rules`` (names joined by ``;``), ``findings`` (count) and
    ``rules_version``. Missing texts (None, NaN) are not assessed and get missing
    values. Requires pandas.
    """
    import pandas

    values = [None if pandas.isna(text) else text for text in texts.tolist()]
    return _frame(assess_columns(values, source=source, threads=threads), index=texts.index)


def assess_arrow(
    texts: Any, *, source: str | None = None, threads: int | None = None
) -> _pandas.DataFrame:
    """Screen a pyarrow string array (or ChunkedArray); columns as ``assess_series``.

    Nulls are not assessed and get missing values. Requires pyarrow and pandas.
    """
    return _frame(assess_columns(texts.to_pylist(), source=source, threads=threads))
