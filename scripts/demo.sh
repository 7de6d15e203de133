#!/usr/bin/env bash
# Installs DutyGraph, loads the law corpus and the generated 宜兴 sample lists into the embedded FalkorDB,
# and serves the web app and API on http://127.0.0.1:8000 (Ctrl-C stops it; the data stays).
# Law folder: DUTYGRAPH_LAWS_DIR or ../shared/data/laws.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
DG=.venv/bin/dutygraph
$DG ingest laws
$DG sample --out sample/yixing
$DG ingest sample sample/yixing
exec $DG serve --host "${HOST:-127.0.0.1}" --port "${PORT:-8000}"
