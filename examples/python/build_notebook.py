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
    (
        "markdown",
        "## The demo clinic\n\n"
        "The server's `seed-demo` writes an invented clinic (patients, clinicians, months of "
        "moods, questionnaires, sessions, consent including one withdrawal, pets) into a "
        "temporary SQLite database. Where the server binary has not been built, the "
        "bindings' own fixture writer (`healing-py/bench/research_fixture.rs`) writes a "
        "similar invented clinic through the same storage code.",
    ),
    (
        "code",
        "REPO = pathlib.Path.cwd().resolve().parents[1]\n"
        "workdir = pathlib.Path(tempfile.mkdtemp())\n"
        "server = pathlib.Path(os.environ.get('HEALING_SERVER', REPO / 'target' / 'debug' / 'healing-server'))\n"
        "if server.exists():\n"
        "    db, key_file = workdir / 'healing.db', workdir / 'encryption.key'\n"
        "    env = {'PATH': os.environ['PATH'], 'HEALING_DATA_DIR': str(workdir)}\n"
        "    subprocess.run([str(server), 'seed-demo'], env=env, check=True, capture_output=True)\n"
        "    CUT_OFF = datetime.datetime.now(datetime.timezone.utc)\n"
        "    source = 'healing-server seed-demo'\n"
        "else:\n"
        "    db, key_file = workdir / 'healing.db', workdir / 'healing.key'\n"
        "    writer = os.environ.get('HEALING_RESEARCH_FIXTURE')\n"
        "    command = [writer] if writer else ['cargo', 'run', '--quiet', '--release', '-p', 'healing-py',\n"
        "                                       '--example', 'research_fixture', '--']\n"
        "    subprocess.run([*command, str(db), str(key_file), '24', '180'], cwd=REPO, check=True, capture_output=True)\n"
        "    CUT_OFF = '2026-06-30T00:00:00Z'\n"
        "    source = 'research_fixture'\n"
        "print('demo clinic from', source)",
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
    (
        "markdown",
        "## Screen community posts and mood notes for risk\n\n"
        "Free text leaves only because this study asked for it, with names, emails, phone "
        "numbers, postcodes and NHS numbers redacted. `assess_series` runs the safety engine "
        "on every core with the GIL released.",
    ),
    (
        "code",
        "posts = research.table(study, 'community_posts')\n"
        "texts = pd.concat([posts[['person', 'day', 'text']].assign(source='community'),\n"
        "                   moods.dropna(subset=['note']).rename(columns={'note': 'text'})[['person', 'day', 'text']]\n"
        "                   .assign(source='mood_note')], ignore_index=True)\n"
        "screened = texts.join(safety.assess_series(texts['text'])[['level', 'categories']])\n"
        "print(screened.groupby('source')['level'].value_counts().unstack(fill_value=0))\n"
        "screened[screened['level'] >= 'medium'][['source', 'day', 'text', 'level', 'categories']].head()",
    ),
    (
        "markdown",
        "## A withdrawn patient disappears\n\n"
        "One demo patient withdrew research consent part-way through. By default a person "
        "whose consent is not in force at the cut-off is left out entirely. Opened with "
        "`withdrawn='keep_earlier_records'` the same study keeps the records they made while "
        "consenting, and none after their withdrawal.",
    ),
    (
        "code",
        "keeping = research.connect(f'sqlite://{db}', study_key=STUDY_KEY, encryption_key_file=str(key_file),\n"
        "                           cut_off=CUT_OFF, withdrawn='keep_earlier_records')\n"
        "withdrawn = set(keeping.people()['person']) - set(study.people()['person'])\n"
        "print('withdrawn patients:', withdrawn)\n"
        "assert len(withdrawn) == 1\n"
        "assert not withdrawn & set(moods['person']) and not withdrawn & set(outcomes['person'])\n"
        "kept = research.table(keeping, 'moods')\n"
        "kept[kept['person'].isin(withdrawn)]['day'].agg(['min', 'max', 'count'])",
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
