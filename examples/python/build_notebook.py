"""Writes research.ipynb from the cells below (the notebook is generated so that its
source stays reviewable as plain Python; run `python build_notebook.py` after editing).
"""

from __future__ import annotations

import pathlib

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

CELLS: list[tuple[str, str]] = [
    (
        "markdown",
        "# Healing for researchers\n\n"
        "This notebook loads an invented demo clinic, plots mood trajectories and NHS "
        "Talking Therapies outcomes, screens community posts for risk, and shows that a "
        "patient who withdraws research consent disappears from the export. Every "
        "clinical rule runs in the Rust engine; Python only carries values in and "
        "results out.",
    ),
    (
        "code",
        "import datetime, os, pathlib, subprocess, tempfile\n"
        "import matplotlib\n"
        "matplotlib.use('Agg')\n"
        "import matplotlib.pyplot as plt\n"
        "import pandas as pd\n"
        "import healing\n"
        "from healing import research, scoring, safety\n"
        "print('healing', healing.__version__)",
    ),
    ("markdown", "## The demo clinic\n\nAn invented clinic written into a temporary SQLite database through the server's own storage code."),
    (
        "code",
        "REPO = pathlib.Path.cwd().resolve().parents[1]\n"
        "workdir = pathlib.Path(tempfile.mkdtemp())\n"
        "db, key_file = workdir / 'healing.db', workdir / 'healing.key'\n"
        "writer = os.environ.get('HEALING_RESEARCH_FIXTURE')\n"
        "command = [writer] if writer else ['cargo', 'run', '--quiet', '--release', '-p', 'healing-py',\n"
        "                                   '--example', 'research_fixture', '--']\n"
        "subprocess.run([*command, str(db), str(key_file), '24', '180'], cwd=REPO, check=True)\n"
        "CUT_OFF = '2026-06-30T00:00:00Z'",
    ),
    ("markdown", "## Open the study\n\nOnly people whose consent allows research at the time of each record appear, under a keyed pseudonym."),
    (
        "code",
        "STUDY_KEY = b'notebook-demo-study-key-2026'\n"
        "study = research.connect(f'sqlite://{db}', study_key=STUDY_KEY, encryption_key_file=str(key_file),\n"
        "                         cut_off=CUT_OFF, free_text=True)\n"
        "people = research.table(study, 'people')\n"
        "print(study)\n"
        "people.head()",
    ),
    ("markdown", "## Mood trajectories"),
    (
        "code",
        "moods = research.table(study, 'moods')\n"
        "weekly = (moods.set_index('day').groupby('person')['mood'].resample('W').mean().reset_index())\n"
        "fig, ax = plt.subplots(figsize=(8, 4))\n"
        "for person, rows in list(weekly.groupby('person'))[:8]:\n"
        "    ax.plot(rows['day'], rows['mood'], label=person[:8])\n"
        "ax.set_ylabel('weekly mean mood (1-10)'); ax.legend(fontsize='small', ncol=2)\n"
        "fig.savefig(workdir / 'moods.png')\n"
        "len(moods), moods['person'].nunique()",
    ),
    ("markdown", "## Talking Therapies outcomes\n\nComputed per course by the engine from consented sessions and the PHQ-9/GAD-7 scores recorded at them."),
    (
        "code",
        "outcomes = research.table(study, 'outcomes')\n"
        "counts = outcomes['recovery'].value_counts()\n"
        "ax = counts.plot.bar(title='recovery per course')\n"
        "ax.figure.savefig(workdir / 'outcomes.png')\n"
        "outcomes[['person', 'treatment_sessions', 'depression_first', 'depression_last', 'recovery', 'reliable_change']].head()",
    ),
    ("markdown", "## Screen community posts for risk\n\nPost text leaves only because this study asked for free text, with names, emails, phone numbers, postcodes and NHS numbers redacted."),
    (
        "code",
        "posts = research.table(study, 'community_posts')\n"
        "screened = safety.assess_series(posts['text'], source='community')\n"
        "posts = posts.join(screened[['level', 'categories']])\n"
        "print(posts['level'].value_counts().sort_index())\n"
        "posts[posts['level'] >= 'high'][['person', 'day', 'text', 'level']].head()",
    ),
    ("markdown", "## A withdrawn patient disappears\n\nOne patient withdraws research consent on day 60. Exported with a cut-off before that day they are present; with the cut-off after, they are gone from every table."),
    (
        "code",
        "before = research.connect(f'sqlite://{db}', study_key=STUDY_KEY, encryption_key_file=str(key_file),\n"
        "                          cut_off='2026-02-20T00:00:00Z')\n"
        "gone = set(before.people()['person']) - set(study.people()['person'])\n"
        "print('withdrawn since the earlier export:', gone)\n"
        "assert len(gone) == 1\n"
        "assert not gone & set(moods['person']) and not gone & set(outcomes['person'])",
    ),
    ("markdown", "## What left, for the data protection officer"),
    (
        "code",
        "manifest = research.write_manifest(study, workdir / 'manifest.json')\n"
        "{key: manifest[key] for key in ('study_key_id', 'consent_cut_off', 'people')}",
    ),
    ("markdown", "## Score questionnaires directly"),
    (
        "code",
        "result = scoring.score('phq9', [2, 2, 1, 2, 1, 1, 2, 1, 1])\n"
        "print(result.total, result.band, result.needs_clinician_review)\n"
        "answers = pd.DataFrame([[3] * 9, [0] * 9, [1] * 8 + [0], [1, 1, 1, None, 1, 1, 1, 1, 0]],\n"
        "                       columns=[f'item_{n}' for n in range(1, 10)])\n"
        "scoring.score_frame(answers, 'phq9', invalid='record')",
    ),
]


def main() -> None:
    notebook = new_notebook()
    for kind, source in CELLS:
        notebook.cells.append(new_markdown_cell(source) if kind == "markdown" else new_code_cell(source))
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    path = pathlib.Path(__file__).with_name("research.ipynb")
    nbformat.write(notebook, path)


if __name__ == "__main__":
    main()
