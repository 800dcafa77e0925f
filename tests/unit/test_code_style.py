"""The code passes the project's linter (rules in pyproject.toml), so style slips fail the suite, not a review."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_ruff_finds_nothing_to_fix():
    result = subprocess.run([sys.executable, "-m", "ruff", "check", "--no-cache", str(ROOT)], capture_output=True,
                            text=True, cwd=ROOT)
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_test_on_the_real_servers_is_marked_integration():
    """`pytest -m "not integration"` must run nothing that needs Kafka or MongoDB."""
    unmarked = [path.name for path in sorted((ROOT / "tests" / "integration").glob("test_*.py"))
                if "pytestmark = pytest.mark.integration" not in path.read_text(encoding="utf-8")]
    assert not unmarked, f"add `pytestmark = pytest.mark.integration` to {unmarked}"


def test_handlers_never_reach_past_the_transaction():
    """Storage goes through `transaction.collection(...)`: no raw collection, no session passed by hand."""
    offending = [
        f"{path.relative_to(ROOT)}:{number}"
        for folder in ("services", "bot")
        for path in sorted((ROOT / folder).rglob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if "transaction.database" in line or "transaction.session" in line or "session=" in line
    ]
    assert not offending, offending
