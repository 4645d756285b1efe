"""make lint: no function in cote_a_cote/ longer than MAX_LINES lines (issue 16 §7).

A function that needs more does several things; split it so each part has a name. Migrations are
left out: each is one list of schema operations, written once and never edited.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

MAX_LINES = 40
ROOT = Path(__file__).resolve().parent.parent / "cote_a_cote"
EXCLUDED = ("migrations",)


def long_functions(root: Path = ROOT, limit: int = MAX_LINES) -> list[tuple[Path, int, str, int]]:
    """(file, line, name, length) of every function or method longer than limit lines."""
    found = []
    for path in sorted(root.rglob("*.py")):
        if any(part in EXCLUDED for part in path.relative_to(root).parts):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                first = min([node.lineno, *(d.lineno for d in node.decorator_list)])
                length = node.end_lineno - first + 1
                if length > limit:
                    found.append((path, node.lineno, node.name, length))
    return found


def main() -> int:
    found = long_functions()
    for path, line, name, length in found:
        where = path.relative_to(ROOT.parent)
        print(f"{where}:{line}: {name} is {length} lines (at most {MAX_LINES})")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
