import datetime
from typing import Any, Mapping

__all__ = ["adopt", "observe", "step"]

_Instant = datetime.datetime | str

def adopt(name: str, species: str, now: _Instant) -> dict[str, Any]: ...
def observe(state: Mapping[str, Any], now: _Instant) -> dict[str, Any]: ...
def step(
    state: Mapping[str, Any],
    event: Mapping[str, Any],
    now: _Instant,
    *,
    day: datetime.date | str | None = None,
) -> dict[str, Any]: ...
