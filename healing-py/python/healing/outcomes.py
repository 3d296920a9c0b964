"""NHS Talking Therapies outcomes of courses of care.

``course_outcome(course)`` returns one course's outcome as a dict;
``course_outcomes(courses)`` does a cohort; ``outcomes_frame`` flattens a cohort's
outcomes into one pandas row per course.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Iterable, Mapping

from healing._native.outcomes import (
    course_outcome as course_outcome,
    course_outcomes as course_outcomes,
    measures as measures,
)

if TYPE_CHECKING:
    import pandas as _pandas

__all__ = ["course_outcome", "course_outcomes", "measures", "outcomes_frame"]


def outcomes_frame(courses: Iterable[Mapping[str, Any]]) -> _pandas.DataFrame:
    """One row per course: person, treatment sessions, result, the measures and
    their first/last scores, recovery, reliable change and reliable recovery.

    Only copies fields out of the engine's results; requires pandas.
    """
    import pandas

    rows = []
    for outcome in course_outcomes(list(courses)):
        result = outcome["result"]
        # A measured course carries its categories inline in the result.
        categories = result if result["status"] == "measured" else None
        depression = outcome.get("depression") or {}
        anxiety = outcome.get("anxiety") or {}
        rows.append(
            {
                "person": outcome["person"],
                "problem_descriptor": outcome["problem_descriptor"],
                "treatment_sessions": outcome["treatment_sessions"],
                "treatment": outcome["treatment"],
                "result": result["status"],
                "depression_measure": outcome["depression_measure"],
                "depression_first": depression.get("first"),
                "depression_last": depression.get("last"),
                "anxiety_measure": outcome["anxiety_measure"]["measure"],
                "anxiety_first": anxiety.get("first"),
                "anxiety_last": anxiety.get("last"),
                "recovery": categories["recovery"]["value"] if categories else None,
                "reliable_change": categories["reliable_change"]["value"] if categories else None,
                "reliable_recovery": categories["reliable_recovery"]["value"] if categories else None,
            }
        )
    return pandas.DataFrame(rows)
