"""Mood diary summaries: averages, variability, trend, streaks, weekday pattern and
the days that stand out."""

from healing._native.mood import summarise as summarise

__all__ = ["summarise"]
