"""Consent ledgers: who allowed what, from when to when."""

from healing._native.consent import Ledger as Ledger, purposes as purposes

__all__ = ["Ledger", "purposes"]
