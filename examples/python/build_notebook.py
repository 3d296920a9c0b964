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
        "This notebook scores questionnaires, computes NHS Talking Therapies outcomes "
        "and summarises a mood diary with the `healing` package. Every clinical rule "
        "runs in the Rust engine; Python only carries values in and results out.",
    ),
    (
        "code",
        "import datetime\n"
        "import matplotlib\n"
        "matplotlib.use('Agg')\n"
        "import matplotlib.pyplot as plt\n"
        "import pandas as pd\n"
        "import healing\n"
        "from healing import scoring, outcomes, mood\n"
        "print('healing', healing.__version__)",
    ),
    ("markdown", "## Score a questionnaire"),
    (
        "code",
        "result = scoring.score('phq9', [2, 2, 1, 2, 1, 1, 2, 1, 1])\n"
        "print(result.total, result.band, result.needs_clinician_review)\n"
        "result.flags",
    ),
    ("markdown", "## Score a whole DataFrame of answers"),
    (
        "code",
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
