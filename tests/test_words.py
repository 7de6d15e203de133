"""Words, not codes: every page of the demo reachable from the home page (a sample of each kind of page) and
every Excel export linked from them is scanned for what a person cannot read — the vocabulary's English codes,
hex ids, UTC times."""

import io
import re
from collections import Counter
from html.parser import HTMLParser
from urllib.parse import urljoin, urlparse

import pytest
from dutygraph.api.app import create_app
from dutygraph.graph import vocabulary as v
from dutygraph.graph.settings import Settings
from fastapi.testclient import TestClient
from openpyxl import load_workbook

pytestmark = [pytest.mark.integration, pytest.mark.falkordb_only]
CODES = set().union(v.PARTS, v.VERDICTS, v.CITATION_STATUS, v.BASIS_FLAGS, v.BASIS_STATE, v.VERSION_STATUS,
                    v.CHANGES, v.REQUEST_STATUS, v.REQUEST_KINDS, v.REASON_TYPES, v.ADMISSION_STATUS,
                    v.RECORD_ROUTES, v.AUDIT_ACTIONS, v.ORPHANS) - {"", "current"}
CODE = re.compile(r"(?<![\w./-])(" + "|".join(sorted(map(re.escape, CODES), key=len, reverse=True)) + r")(?![\w.-])")
HEX = re.compile(r"\b(?=[0-9a-f]*[a-f])(?=[0-9a-f]*\d)[0-9a-f]{12,40}\b")
UTC = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}|\+00:00|Z\b(?<=\dZ)")
PER_KIND = 4  # pages of one kind (items, laws, townships …) read: their templates are the same


class Text(HTMLParser):
    """A page's visible text (not scripts, styles or attributes) and its links."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.links: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._skip += 1
        if tag == "a":
            self.links += [x for k, x in attrs if k == "href" and x]

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def problems(text: str) -> list[str]:
    return [m.group(0) for rx in (CODE, HEX, UTC) for m in rx.finditer(text)]


def kind(path: str) -> str:
    parts = [p for p in path.split("/") if p]
    return "/".join(parts[:1] + (["*"] if len(parts) > 1 else []) + parts[2:3])


def crawl(client: TestClient, start: tuple[str, ...] = ("/",)) -> tuple[set[str], set[str], dict[str, list]]:
    """Pages reachable from `start` (PER_KIND of each kind) and the Excel exports they link: (pages, exports,
    what a person cannot read, per url)."""
    seen, queue, found, exports = set(), list(start), {}, set()
    per_kind: Counter[str] = Counter()
    while queue and len(seen) < 160:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        r = client.get(url)
        assert r.status_code == 200, url
        parser = Text()
        parser.feed(r.text)
        text = " ".join(parser.parts)
        bad = problems(text)
        if bad:
            found[url] = [f"{b} in …{text[max(0, text.find(b) - 40):text.find(b) + 20]}…" for b in bad[:5]]
        for link in parser.links:
            u = urlparse(urljoin(url, link))
            if u.netloc or u.path.startswith(("/docs", "/static", "/login")):
                continue
            if "format=xlsx" in u.query or u.path.endswith(".xlsx"):
                exports.add(u.path + ("?" + u.query if u.query else ""))
                continue
            if u.path.startswith("/api") or u.path.endswith((".docx", ".zip")):
                continue
            page = u.path + ("?" + u.query if u.query else "")
            if page not in seen and per_kind[kind(u.path)] < PER_KIND:
                per_kind[kind(u.path)] += 1
                queue.append(page)
    for url in sorted(exports)[:40]:
        r = client.get(url)
        assert r.status_code == 200, url
        for ws in load_workbook(io.BytesIO(r.content), read_only=True).worksheets:
            for row in ws.iter_rows(values_only=True):
                bad = problems(" ".join(str(c) for c in row if c is not None))
                if bad:
                    found[url] = bad[:5]
                    break
    for url, bad in sorted(found.items()):
        print("WORDS", url, bad)
    return seen, exports, found


def test_no_code_hex_id_or_utc_time_in_the_demos_pages_or_exports(sample_store):
    with TestClient(create_app(Settings(), store=sample_store)) as client:
        seen, exports, found = crawl(client)
    assert len(seen) > 40 and len(exports) > 5
    assert found == {}, found


def test_no_code_in_the_workflow_pages_after_every_workflow_ran(store, tmp_path):
    """Requests in every state, 准入 applications, a draft round, handovers and ratings: their pages and exports."""
    from dutygraph.ingest.sweep import read_sweep
    from dutygraph.services import sample_workflow
    from dutygraph.services.compilation import Compilation
    from dutygraph.services.delegation import Matcher
    from dutygraph.services.lifecycle import Principal
    from dutygraph.services.suggest import SuggestionIndex

    from tests.conftest import load
    from tests.test_compilation import sweep_file
    from tests.test_lists import SAFETY, workbook

    towns = ("周铁镇", "和桥镇", "丁蜀镇", "张渚镇", "官林镇")  # the seed makes requests in every state from five
    _, ex = load(store, SAFETY, [(workbook(tmp_path / f"{t}.xlsx"), t, "2025-06-30") for t in towns])
    made = sample_workflow.seed(store, ex, Matcher.load(store), SuggestionIndex.build(store), "2025-06-30")
    assert made["applied"] and made["waiting"] and made["admissions"]
    bianban = Principal("bianban", None, "编办")
    compilation = Compilation(store, tmp_path / "v.npz")
    compilation.load(bianban, read_sweep(sweep_file(tmp_path / "s.xlsx"), "新庄镇"), "新庄镇", "s.xlsx")
    compilation.start(bianban, "新庄镇")
    start = ("/requests", "/requests/queue", "/requests/overdue", "/admissions", "/audit", "/compile",
             "/compile/新庄镇", "/followup", "/followup/ratings", "/followup/evaluation?township=周铁镇&period=2025",
             "/delegation/waiting", "/uploads", "/townships/周铁镇/versions")
    with TestClient(create_app(Settings(data_dir=tmp_path / "data"), store=store)) as client:
        seen, exports, found = crawl(client, start)
    assert {"/requests", "/compile/新庄镇"} <= seen and any(p.startswith("/requests/") for p in seen)
    assert found == {}, found
