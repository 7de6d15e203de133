"""Every file of the bad-input corpus is refused with a clear message naming the file (and sheet, row,
column where there is one); the township's previous list stays current; nothing is written outside the
data dir; no traceback reaches the user."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest
from dutygraph.graph.errors import InputError
from dutygraph.ingest.lists import ingest_list

from tests.bad_inputs import cases
from tests.conftest import load
from tests.test_lists import SAFETY, current_items, workbook

CASES = cases()


def test_the_corpus_is_large_enough():
    assert len(CASES) >= 50


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    folder = tmp_path_factory.mktemp("bad")
    return {name: make(folder / name) for name, make in CASES}


@pytest.mark.parametrize("name", [n for n, _ in CASES])
def test_bad_file_is_refused_and_the_previous_list_stays(store, tmp_path, corpus, name):
    index, ex = load(store, SAFETY)
    ingest_list(store, [workbook(tmp_path / "good.xlsx")], "周铁镇", "2025-06-30", extractor=ex, index=index)
    before = current_items(store)
    t0 = time.monotonic()
    with pytest.raises(InputError) as e:
        ingest_list(store, [corpus[name]], "周铁镇", "2025-07-01", extractor=ex, index=index)
    assert time.monotonic() - t0 < 20, "a bad file must be refused quickly"
    assert name in str(e.value) and e.value.file, str(e.value)
    assert current_items(store) == before
    lists = store.run_cypher("MATCH (l:DutyList) RETURN l.date AS d")
    assert [r["d"] for r in lists] == ["2025-06-30"]  # nothing half-written


def test_cli_gives_messages_not_tracebacks_and_writes_only_in_the_data_dir(tmp_path, corpus):
    data = tmp_path / "data"
    outside = set(tmp_path.parent.iterdir())
    env = {"DUTYGRAPH_DATA_DIR": str(data), "PATH": "/usr/bin:/bin"}
    for name in ("ten-mb-cell.csv", "nul-in-xml.xlsx", "far-cell.xlsx", "zip-bomb.xlsx"):
        r = subprocess.run([sys.executable, "-m", "dutygraph.api.cli", "ingest", "list", str(corpus[name]),
                            "--township", "周铁镇", "--date", "2025-06-30"], capture_output=True, text=True, env=env,
                           timeout=120)
        assert r.returncode == 1 and "Traceback" not in r.stderr + r.stdout, (name, r.stderr[-800:])
        assert name in r.stdout + r.stderr
    for township in ("../../etc", "<script>alert(1)</script>镇", "镇" * 120):
        r = subprocess.run([sys.executable, "-m", "dutygraph.api.cli", "ingest", "list", str(corpus["empty.csv"]),
                            "--township", township, "--date", "2025-06-30"], capture_output=True, text=True,
                           env=env, timeout=120)
        assert r.returncode == 1 and "Traceback" not in r.stderr + r.stdout
    assert set(tmp_path.parent.iterdir()) == outside
    assert not any(p.name.startswith("<script") for p in data.rglob("*"))
