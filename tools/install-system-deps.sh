#!/usr/bin/env bash
# Install the system programs some tests use: a PostgreSQL server (tests of
# `newsfacts load --db postgresql://...`) and Chromium (the review-page
# screenshot). Idempotent and quiet: packages already present are left alone,
# and a failed install only prints a notice, so CI goes on and the tests that
# need the missing program skip themselves with a message.
set -u

missing=()
# The server binaries (initdb, pg_ctl) live in /usr/lib/postgresql/<ver>/bin.
if ! compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null; then
    missing+=(postgresql)
fi
if ! command -v chromium >/dev/null 2>&1 && [ ! -x /usr/bin/chromium ]; then
    missing+=(chromium)
fi

if [ ${#missing[@]} -eq 0 ]; then
    exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
    echo "install-system-deps: no apt-get; not installing ${missing[*]} (tests needing them will skip)" >&2
    exit 0
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
        sudo="sudo -n"
    else
        echo "install-system-deps: not root and no sudo; not installing ${missing[*]} (tests needing them will skip)" >&2
        exit 0
    fi
fi

echo "install-system-deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
log=$(mktemp)
if $sudo apt-get update -qq >"$log" 2>&1 \
   && $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >>"$log" 2>&1; then
    echo "install-system-deps: done" >&2
else
    echo "install-system-deps: apt-get failed (tests needing ${missing[*]} will skip); last lines:" >&2
    tail -n 5 "$log" >&2
fi
rm -f "$log"
exit 0
