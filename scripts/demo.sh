#!/usr/bin/env bash
# Installs DutyGraph, loads the law corpus and the 宜兴 sample lists into the embedded FalkorDB, and
# serves the web app and API on http://127.0.0.1:8000 (Ctrl-C stops it; the data stays).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
DG=.venv/bin/dutygraph
$DG ingest laws "$@"
if $DG --help | grep -q " sample "; then
  $DG sample --out sample/yixing
  $DG ingest sample sample/yixing
fi
exec $DG serve --host "${HOST:-127.0.0.1}" --port "${PORT:-8000}"
