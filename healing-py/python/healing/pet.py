"""The companion pet engine: adopt, observe and step a pet's state."""

from healing._native.pet import adopt as adopt, observe as observe, step as step

__all__ = ["adopt", "observe", "step"]
