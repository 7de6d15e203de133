#!/usr/bin/env bash
# Installs everything and runs the whole check: ruff, Neo4j's parser on every Cypher statement, pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
WITH_BROWSER=1 bash scripts/install.sh
.venv/bin/ruff check .
.venv/bin/python -m dutygraph.graph.lint | tail -n 1
.venv/bin/python -m pytest -q "$@"
