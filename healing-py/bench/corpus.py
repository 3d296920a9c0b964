"""Deterministic benchmark corpus of invented messages (no real person's words).

``write_corpus(path, count)`` writes one message per line: a fixed mix of everyday
chat, distress, idioms, negations and risk disclosures, each varied by a counter so
no two lines are identical. Both the native and the Python benchmark read it.
"""

from __future__ import annotations

import pathlib

TEMPLATES = [
    "had a good day at work, the team lunch was lovely",
    "this commute is killing me but the podcast helped",
    "feeling a bit low today, didn't sleep well",
    "I'm not suicidal, just exhausted after the week",
    "walked the dog by the river and felt calmer",
    "I wish I could sleep and not wake up",
    "my therapist said to try the breathing exercise again",
    "I cut again last night and I'm scared to tell anyone",
    "the new series ends with the hero dying, what a finale",
    "I've saved up my pills and I'm taking them tonight",
    "my mum keeps saying I should eat more, it's annoying",
    "nothing ever changes, I feel trapped and hopeless",
    "went to the gym, then cooked pasta for everyone",
    "I want to kill myself",
    "I used to self-harm at uni but I've been fine for years",
    "worried about my friend, she said she doesn't want to be here anymore",
    "exam tomorrow, I'm dead nervous lol",
    "he hits me when he drinks and I don't feel safe at home",
    "tried the journaling prompt, wrote three pages",
    "thanks for the reminder about the appointment on Tuesday",
]


def message(index: int) -> str:
    return f"{TEMPLATES[index % len(TEMPLATES)]} (note {index})"


def write_corpus(path: pathlib.Path, count: int) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as out:
        for index in range(count):
            out.write(message(index))
            out.write("\n")
