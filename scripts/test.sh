#!/usr/bin/env bash
# Installs everything and runs the whole check: ruff, Neo4j's parser on every Cypher statement, pytest.
# pytest runs twice at once, one process per core: everything on the embedded FalkorDB (unit, integration, browser,
# fault injection), and the integration tests again on a real Neo4j (`-m neo4j`). Their logs are printed in full.
set -euo pipefail
cd "$(dirname "$0")/.."
WITH_BROWSER=1 bash scripts/install.sh
.venv/bin/ruff check .
.venv/bin/python -m dutygraph.graph.lint | tail -n 1
mkdir -p test-artifacts
.venv/bin/python -m pytest -q -p no:cacheprovider -m "not neo4j" "$@" > test-artifacts/pytest-falkordb.log 2>&1 &
falkordb=$!
.venv/bin/python -m pytest -q -p no:cacheprovider -m neo4j "$@" > test-artifacts/pytest-neo4j.log 2>&1 &
neo4j=$!
status=0
wait "$falkordb" || { rc=$?; [ "$rc" -eq 5 ] || status=$rc; }
wait "$neo4j" || { rc=$?; [ "$rc" -eq 5 ] || status=$rc; }  # 5: nothing selected (a run narrowed to other tests)
echo "=== pytest on FalkorDB (and unit, browser, faults) ==="
cat test-artifacts/pytest-falkordb.log
echo "=== pytest on Neo4j ==="
cat test-artifacts/pytest-neo4j.log
exit "$status"
