"""Validated questionnaires: the instrument registry and scoring.

``score("phq9", answers)`` validates one set of answers (one per item, ``None``
for a blank) and returns a ``Score`` with the total, band, subscales and flags.
``score_frame`` scores every row of a pandas DataFrame.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal, Sequence

from healing._native.scoring import (
    Score as Score,
    definition as definition,
    instruments as instruments,
    score as score,
    score_rows as score_rows,
)

if TYPE_CHECKING:
    import pandas as _pandas

__all__ = ["Score", "definition", "instruments", "score", "score_frame", "score_rows"]


def score_frame(
    frame: _pandas.DataFrame,
    instrument_id: str,
    columns: Sequence[str] | None = None,
    *,
    invalid: Literal["raise", "record"] = "raise",
) -> _pandas.DataFrame:
    """Score every row of ``frame`` as answers to ``instrument_id``.

    ``columns`` names the item columns in item order (default: every column of
    ``frame``, in order). Missing values (``NaN``, ``None``, ``pd.NA``) are blank
    answers. Returns a DataFrame with the same index and the columns ``total``,
    ``derived``, ``band``, ``completeness``, ``needs_clinician_review``, ``flags``
    and ``error`` (see ``score_rows`` for ``invalid``). Requires pandas.
    """
    import pandas

    items = frame[list(columns)] if columns is not None else frame
    rows = [
        [None if pandas.isna(value) else int(value) for value in row]
        for row in items.itertuples(index=False, name=None)
    ]
    result = score_rows(instrument_id, rows, invalid=invalid)
    out = pandas.DataFrame(result, index=frame.index)
    out["total"] = out["total"].astype("Int64")
    out["needs_clinician_review"] = out["needs_clinician_review"].astype("boolean")
    return out
