"""tirek/law stays plain Python, and strictly typed."""

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

LAW = Path(__file__).resolve().parents[1]
ROOT = LAW.parents[1]


def test_it_imports_no_django_when_loaded_and_used() -> None:
    program = (
        "import sys\n"
        "from tirek.law import analyse, law_content, render, facts_from_json\n"
        "facts = facts_from_json({'acts': ['recruitment']}, law_content().vocabulary)\n"
        "render(analyse(facts), 'ky')\n"
        "print(sorted(m for m in sys.modules if m == 'django' or m.startswith('django.')))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", program], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "[]"


def test_it_has_no_django_import_in_its_source() -> None:
    offenders = []
    for path in LAW.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            offenders += [
                f"{path.name}: {n}"
                for n in names
                if n.split(".")[0] in ("django", "rest_framework")
            ]
    assert not offenders


@pytest.mark.skipif(
    shutil.which("mypy", path=str(Path(sys.executable).parent)) is None,
    reason="mypy is a dev extra",
)
def test_it_passes_mypy_strict() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "tirek/law"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr
