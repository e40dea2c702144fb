"""What the tools that generate a file under patterns/ share: write it, or with --check say whether it is current."""
from __future__ import annotations

import sys
from pathlib import Path


def write_or_check(out: Path, content: str, check: bool, stale: str) -> int:
    """Write `content` to `out` (exit status 0), or with `check` compare: 1 and the `stale` message if it differs."""
    if check:
        current = out.read_text(encoding="utf-8") if out.exists() else ""
        if current != content:
            print(f"{out} {stale}", file=sys.stderr)
            return 1
        return 0
    out.write_text(content, encoding="utf-8")
    print(f"wrote {out}")
    return 0
