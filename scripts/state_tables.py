"""Print every state machine of store/states.py as markdown tables, for docs/architecture.md.

The docs' "State machines" section is this script's output; a test compares the two, so the
tables cannot drift from the code. Run: .venv/bin/python scripts/state_tables.py
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from moneyprinter.store import states  # noqa: E402


def tables() -> str:
    machines = [m for m in vars(states).values() if isinstance(m, states.StateMachine)]
    out = []
    for machine in machines:
        out += [f"**{machine.name}** (`{machine.states.__name__}`)", "", "| from | may go to |", "|---|---|"]
        for state in machine.states:
            targets = sorted(s.value for s in machine.transitions[state] if s != state)
            out.append(f"| {state.value} | {', '.join(targets) if targets else '(final)'} |")
        out.append("")
    return "\n".join(out).rstrip() + "\n"


if __name__ == "__main__":
    sys.stdout.write(tables())
