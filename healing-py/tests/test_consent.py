"""healing.consent: the ledger's timing rules and typed errors."""

from __future__ import annotations

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

import healing
from healing.consent import Ledger, purposes

UTC = datetime.timezone.utc


def test_grant_is_allowed_at_its_instant_and_withdrawal_is_not() -> None:
    ledger = Ledger("patient-1")
    ledger.grant("research", "2026-03-01T09:00:00Z", "research-v2")
    ledger.withdraw("research", datetime.datetime(2026, 6, 1, tzinfo=UTC), "research-v2")
    assert not ledger.is_allowed("research", "2026-03-01T08:59:59Z")
    assert ledger.is_allowed("research", "2026-03-01T09:00:00Z")
    assert ledger.is_allowed("research", "2026-05-31T23:59:59Z")
    assert not ledger.is_allowed("research", "2026-06-01T00:00:00Z")
    assert ledger.allowed_periods("research") == [
        {"from": "2026-03-01T09:00:00Z", "until": "2026-06-01T00:00:00Z", "wording_version": "research-v2"}
    ]


def test_replay_round_trips_events() -> None:
    ledger = Ledger("patient-1")
    ledger.grant("care", "2026-03-01T09:00:00Z", "care-v1", recorded_by="clinician-7")
    copy = Ledger.replay("patient-1", ledger.events())
    assert copy.to_dict() == ledger.to_dict()
    assert copy.events()[0]["recorded_by"] == {"staff": "clinician-7"}


def test_rejects_withdrawal_without_grant() -> None:
    ledger = Ledger("patient-1")
    with pytest.raises(healing.ConsentError) as raised:
        ledger.withdraw("research", "2026-03-01T09:00:00Z", "research-v2")
    assert raised.value.kind == "withdraw_without_grant"
    assert ledger.events() == []


def test_rejects_naive_datetimes_and_bad_ids() -> None:
    ledger = Ledger("patient-1")
    with pytest.raises(healing.InvalidInputError):
        ledger.grant("research", datetime.datetime(2026, 3, 1), "research-v2")
    with pytest.raises(healing.TimestampError):
        ledger.grant("research", "1 March 2026", "research-v2")
    with pytest.raises(healing.IdentifierError):
        Ledger("has space")
    with pytest.raises(healing.InvalidInputError):
        ledger.grant("marketing", "2026-03-01T09:00:00Z", "v1")
    with pytest.raises(healing.ConsentError) as raised:
        ledger.grant("research", "2026-03-01T09:00:00Z", "bad wording!")
    assert raised.value.kind == "wording_version_bad_character"


def test_lists_purposes() -> None:
    assert purposes() == ["care", "clinician_sharing", "ai_chat", "research", "email_notifications"]


@given(
    st.lists(st.integers(min_value=1, max_value=10_000), min_size=1, max_size=8, unique=True),
    st.integers(min_value=0, max_value=11_000),
)
def test_is_allowed_agrees_with_allowed_periods(offsets: list[int], probe: int) -> None:
    start = datetime.datetime(2026, 1, 1, tzinfo=UTC)
    ledger = Ledger("patient-1")
    for index, offset in enumerate(sorted(offsets)):
        at = start + datetime.timedelta(hours=offset)
        if index % 2 == 0:
            ledger.grant("research", at, "research-v1")
        else:
            ledger.withdraw("research", at, "research-v1")
    instant = start + datetime.timedelta(hours=probe)
    text = instant.strftime("%Y-%m-%dT%H:%M:%SZ")
    inside = any(
        period["from"] <= text and (period["until"] is None or text < period["until"])
        for period in ledger.allowed_periods("research")
    )
    assert ledger.is_allowed("research", instant) == inside
