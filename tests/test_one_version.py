"""A corpus with one version per law (the package corpus of a bare clone): the law and impact pages say so and
offer the repeal impact and how to load history; a page lists the laws with several versions; the footer names
the corpus actually loaded."""

import pytest
from dutygraph.api.app import create_app
from dutygraph.graph.settings import Settings
from fastapi.testclient import TestClient

from tests.conftest import load
from tests.test_lists import SAFETY

pytestmark = pytest.mark.integration


def test_one_version_pages_offer_what_can_be_done(store):
    load(store, [SAFETY[1]])  # the 2021 text only
    with TestClient(create_app(Settings(), store=store)) as c:
        impact = c.get("/laws/安全生产法/impact")
        assert impact.status_code == 200 and 'id="one-version"' in impact.text and "repeal=" in impact.text
        assert "dutygraph ingest laws" in impact.text
        law = c.get("/laws/安全生产法").text
        assert 'id="one-version"' in law and "/laws?multi=1" in law
        laws = c.get("/laws", params={"multi": 1}).text
        assert "有多个版本的法律" in laws and "没有多个版本的法律" in laws
        # the footer names the corpus loaded, not a fixed credit
        assert "法律文本: LawRefBook (国家法律法规数据库) 1 个版本, 最新至 2021-06-10" in law
        repeal = c.get("/laws/安全生产法/impact", params={"repeal": "2026-01-01"})
        assert repeal.status_code == 200 and 'id="one-version"' not in repeal.text


def test_laws_with_several_versions_are_listed(store):
    load(store, SAFETY)
    with TestClient(create_app(Settings(), store=store)) as c:
        page = c.get("/laws", params={"multi": 1}).text
        assert "中华人民共和国安全生产法" in page and "没有多个版本的法律" not in page
        assert 'id="one-version"' not in c.get("/laws/安全生产法/impact").text


@pytest.mark.parametrize(("q", "title", "number"), [
    ("消防法 第三十一条", "中华人民共和国消防法", 31),
    ("安全生产法 第九条", "中华人民共和国安全生产法", 9),
    ("《安全生产法》第9条", "中华人民共和国安全生产法", 9),
])
def test_a_lawyers_search_opens_the_article(laws_store, q, title, number):
    """The search box's own placeholder, 消防法 第三十一条, jumps to that article on its law's page."""
    from urllib.parse import quote

    with TestClient(create_app(Settings(), store=laws_store)) as c:
        r = c.get("/search", params={"q": q}, follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"] == f"/laws/{quote(title)}#a{number}"
        assert f'id="a{number}"' in c.get(r.headers["location"]).text
        # not an article of that law: an ordinary search, no jump
        assert c.get("/search", params={"q": "安全生产法 第九百条"}, follow_redirects=False).status_code == 200


@pytest.mark.falkordb_only
def test_search_groups_a_duty_across_townships_filters_and_pages_both_ways(sample_store):
    import re

    with TestClient(create_app(Settings(), store=sample_store)) as c:
        page = c.get("/search", params={"q": "安全生产"}).text
        towns = [int(n) for n in re.findall(r"<summary>(\d+) 个乡镇\(街道\)</summary>", page)]
        assert towns and max(towns) >= 10  # one row for a duty most townships list, not one per township
        names = re.findall(r'<li class="hit hit-item">.*?<a href="/items/\w+">([^<]+)</a>', page, re.S)
        assert len(names) == len(set(names)) or len(set(names)) > len(names) / 2
        laws = c.get("/search", params={"q": "安全生产", "kind": "law"}).text
        assert "hit-item" not in laws and "中华人民共和国安全生产法" in laws
        only = c.get("/search", params={"q": "安全生产", "township": "丁蜀镇"}).text
        assert "个乡镇(街道)</summary>" not in only and "丁蜀镇" in only
        second = c.get("/search", params={"q": "安全生产", "offset": 30}).text
        assert 'class="prev"' in second and 'start="31"' in second


def test_law_page_shows_the_duties_citing_each_article_and_an_articles_history(store, tmp_path):
    from tests.test_lists import workbook

    load(store, SAFETY, [(workbook(tmp_path / "周铁镇.xlsx"), "周铁镇", "2025-06-30"),
                         (workbook(tmp_path / "和桥镇.xlsx"), "和桥镇", "2025-06-30")])
    with TestClient(create_app(Settings(), store=store)) as c:
        page = c.get("/laws/安全生产法").text
        a9 = page[page.index('id="a9"'):page.index('id="a10"')]
        assert "生产经营单位安全生产状况监督检查" in a9 and "2 个乡镇(街道)" in a9  # cited as 第九条第二款
        assert 'id="toc"' in page
        history = c.get("/laws/安全生产法/articles/9").text
        marks = [m for m in ("新增", "修改", "未变") if m in history[history.index('id="timeline"'):]]
        assert history.count("版 第") >= 2 and marks  # both versions, the change marked
        assert "生产经营单位安全生产状况监督检查" in history


@pytest.mark.falkordb_only
def test_the_home_page_shows_the_first_townships_and_links_to_all(sample_store, monkeypatch):
    import re

    from dutygraph.api import pages

    monkeypatch.setattr(pages, "HOME_TOWNSHIPS", 5)
    with TestClient(create_app(Settings(), store=sample_store)) as c:
        home = c.get("/").text
        assert len(re.findall(r'<tr><td><a href="/townships/', home)) == 5
        assert '<a class="more" href="/townships">全部 21 个</a>' in home
        every = c.get("/townships").text
        assert len(set(re.findall(r'href="/townships/([^"/]+)"', every))) == 21
