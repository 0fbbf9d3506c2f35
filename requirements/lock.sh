#!/usr/bin/env bash
# Refresh the locks from pyproject.toml: run it after adding or changing a dependency there,
# and commit both files. Pins already in the locks are kept; `bash requirements/lock.sh
# --upgrade` moves every package to its newest release instead.
# The runtime lock is resolved inside the test lock, so a chapter's install has exactly the
# versions the test suite ran with.
set -euo pipefail
cd "$(dirname "$0")/.."
UV=0.13.9  # the lock tool (from PyPI), pinned so a refresh does not change with its releases
[ -x .venv/bin/pip ] || python3 -m venv .venv
.venv/bin/uv --version 2>/dev/null | grep -qx "uv $UV" || .venv/bin/pip install -q "uv==$UV"
compile() {
    .venv/bin/uv pip compile pyproject.toml --quiet --universal --python-version 3.11 \
        --custom-compile-command "bash requirements/lock.sh" --annotation-style line "$@"
}
compile --extra test -o requirements/test.txt "$@"
compile -c requirements/test.txt -o requirements/runtime.txt
