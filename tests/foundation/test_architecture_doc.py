"""docs/architecture.md shows the state machines as the code defines them."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_state_tables_in_the_docs_match_the_code():
    tables = subprocess.run([sys.executable, str(ROOT / "scripts" / "state_tables.py")],
                            capture_output=True, text=True, check=True).stdout
    doc = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    shown = doc.split("<!-- state tables: begin -->\n", 1)[1].split("<!-- state tables: end -->", 1)[0]
    assert shown == tables, "run scripts/state_tables.py and paste its output into docs/architecture.md"
