import datetime
from typing import Any, Iterable, Mapping

__all__ = ["summarise"]

def summarise(
    entries: Iterable[Mapping[str, Any]],
    today: datetime.date | str,
    *,
    first: datetime.date | str | None = None,
    last: datetime.date | str | None = None,
) -> dict[str, Any]: ...
