"""岗位职责说明书: a post's Word document holds every item the post leads or cooperates on, with its basis and the
record frequency; a township's zip has one document per post; the records kept feed the post's workload."""

import io
import zipfile

import docx
import pytest
from dutygraph.api.app import create_app
from dutygraph.graph.settings import Settings
from dutygraph.ingest.records import Record
from dutygraph.services import records
from dutygraph.services.delegation import Matcher
from fastapi.testclient import TestClient

from tests.conftest import load
from tests.test_lists import SAFETY, workbook

pytestmark = pytest.mark.integration


@pytest.fixture
def api(store, tmp_path):
    load(store, SAFETY, [(workbook(tmp_path / "zt.xlsx"), "周铁镇", "2025-06-30")])
    text = "群众反映辖区企业安全生产状况堪忧，请对生产经营单位安全生产状况进行监督检查"
    # two calls with the same words at the same minute, told apart by the export's own numbers
    recs = [Record(str(k), "2025-07-01 08:00", "周铁镇", text, "", "周铁镇", "", "", "r.csv", "", k, f"G{k}")
            for k in (1, 2)]
    records.keep(store, records.route(recs, Matcher.load(store)), "r.csv")
    with TestClient(create_app(Settings(), store=store)) as c:
        yield c


def test_a_posts_word_document_holds_every_item_of_the_post(api):
    post = api.get("/api/townships/周铁镇/posts/应急管理办公室").json()
    names = {i["name"] for i in post["items"]}
    assert len(names) >= 2
    r = api.get("/api/townships/周铁镇/posts/应急管理办公室/statement.docx")
    assert r.status_code == 200
    d = docx.Document(io.BytesIO(r.content))
    cells = [c.text for t in d.tables for row in t.rows[1:] for c in row.cells]
    for name in names:
        assert any(c.startswith(name) for c in cells), name
    assert any("安全生产法" in c for c in cells)  # the basis of each item
    assert "周铁镇 应急管理办公室 岗位职责说明书" in d.paragraphs[0].text

    stated = {p["post"]: p for p in api.get("/api/townships/周铁镇/statements").json()}
    assert stated["应急管理办公室"]["items"] == len(names)
    assert stated["应急管理办公室"]["records"] == 2  # both records matched one of its items

    z = zipfile.ZipFile(io.BytesIO(api.get("/api/townships/周铁镇/statements.zip").content))
    assert sorted(z.namelist()) == sorted(f"周铁镇-{p}-岗位职责说明书.docx" for p in stated)
    for n in z.namelist():
        docx.Document(io.BytesIO(z.read(n)))  # every document opens

    assert api.get("/api/townships/周铁镇/posts/没有这个岗位/statement.docx").status_code == 404
