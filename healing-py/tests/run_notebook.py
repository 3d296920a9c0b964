"""Executes a notebook headless with nbclient; exits non-zero if any cell errors.

Usage: python run_notebook.py NOTEBOOK.ipynb
"""

from __future__ import annotations

import pathlib
import sys

import nbformat
from nbclient import NotebookClient


def main() -> int:
    path = pathlib.Path(sys.argv[1])
    notebook = nbformat.read(path, as_version=4)
    # The kernel listens on loopback only (jupyter_client's default 127.0.0.1).
    client = NotebookClient(
        notebook,
        timeout=600,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
    )
    client.execute()
    cells = sum(1 for cell in notebook.cells if cell.cell_type == "code")
    print(f"{path.name}: {cells} code cells executed without error")
    return 0


if __name__ == "__main__":
    sys.exit(main())
