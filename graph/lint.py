"""Check every statement in queries/*.cypher with Neo4j's own parser (npm @neo4j-cypher/language-support).

`python -m dutygraph.graph.lint` prints each statement's errors and warnings and exits non-zero on any error.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

from dutygraph.graph import catalog, dialect
from dutygraph.graph.model import LABELS, PROPERTY_KEYS, REL_TYPES

TOOL = Path(__file__).resolve().parent.parent / "tools" / "cypher-lint"
PARAM = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")


def statements() -> list[dict]:
    out = [{"name": q.name, "text": q.text} for q in catalog.catalog().values()]
    out += [{"name": f"dialect.neo4j_ddl.{i}", "text": t}
            for i, t in enumerate((*dialect.NEO4J_OBSOLETE, *dialect.neo4j_ddl()))]
    for st in out:
        st["params"] = sorted(set(PARAM.findall(st["text"])))
    return out


def lint() -> tuple[int, list[dict]]:
    schema = {"labels": list(LABELS), "relationshipTypes": list(REL_TYPES), "propertyKeys": list(PROPERTY_KEYS)}
    proc = subprocess.run(["node", str(TOOL / "lint.mjs")], input=json.dumps({"schema": schema,
                          "statements": statements()}), capture_output=True, text=True, cwd=TOOL, check=False)
    if proc.returncode not in (0, 1):
        raise RuntimeError(f"cypher lint tool failed: {proc.stderr}")
    return proc.returncode, [json.loads(line) for line in proc.stdout.splitlines() if line.strip()]


def main() -> int:
    code, results = lint()
    for r in results:
        mark = "ERROR" if r["errors"] else "ok"
        print(f"{mark:5} {r['name']}" + "".join(f"\n      {m}" for m in r["errors"] + r["warnings"]))
    print(f"{len(results)} statements, {sum(bool(r['errors']) for r in results)} with errors")
    return code


if __name__ == "__main__":
    sys.exit(main())
