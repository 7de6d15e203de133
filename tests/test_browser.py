"""Browser tests: Playwright driving Debian's chromium (no browser download) against a live server on the
宜兴 sample. Screenshots of each page go to test-artifacts/."""

import time

import pytest
from dutygraph.api.app import create_app
from dutygraph.graph.settings import Settings

from tests.conftest import ARTIFACTS, live_server

# the pages are the same on either backend: they run on the embedded FalkorDB only
pytestmark = [pytest.mark.browser, pytest.mark.falkordb_only]


@pytest.fixture(scope="module")
def server(sample_store):
    with live_server(create_app(Settings(), store=sample_store)) as url:
        yield url


def wait_js(page, expression: str, timeout: float = 30) -> None:
    """Poll a JavaScript condition through page.evaluate: Playwright's wait_for_function evaluates its string
    with eval inside the page, which our Content-Security-Policy (rightly) forbids."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(expression):
        if time.monotonic() > deadline:
            raise AssertionError(f"not true within {timeout} s: {expression}")
        time.sleep(0.1)


def shot(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=False)


def test_search_item_law_impact_worklist(server, page, tmp_path):
    page.goto(server + "/")
    assert page.locator("h1").first.inner_text().startswith("乡镇")
    assert page.locator("table.list tbody tr").count() == 21
    shot(page, "01-home")
    page.fill(".big-search input", "电梯维护保养")
    page.click(".big-search button")
    page.wait_for_selector("ol.results li")
    shot(page, "02-search")
    page.locator("ol.results li.hit-item a").first.click()
    page.wait_for_selector("#item-name")
    assert page.locator("#responsibility dd").first.inner_text().strip() != ""
    assert page.locator("#basis .basis").count() >= 1
    wait_js(page, "window.dutygraph && window.dutygraph.nodes().length > 1")
    shot(page, "03-item")
    page.goto(server + "/laws/安全生产法")
    assert "中华人民共和国安全生产法" in page.locator("h1").inner_text()
    assert page.locator("#a9").count() == 1
    shot(page, "04-law")
    page.click("#diff-link")
    page.wait_for_selector("table.diff")
    assert page.locator("table.diff ins").count() > 0 and page.locator("table.diff del").count() > 0
    shot(page, "05-diff")
    page.goto(server + "/laws/安全生产法")
    page.click("#impact-link")
    page.wait_for_selector("#impact-total")
    assert int(page.locator("#impact-total").inner_text()) > 0
    assert page.locator("table.impact tbody tr").count() > 0
    shot(page, "06-impact")
    with page.expect_download() as dl:
        page.click("#worklist")
    path = tmp_path / dl.value.suggested_filename
    dl.value.save_as(path)
    from openpyxl import load_workbook

    ws = load_workbook(path).active
    assert ws.cell(1, 1).value == "乡镇(街道)" and ws.max_row > 1


def test_delegation_check_in_the_browser(server, page):
    page.goto(server + "/delegation")
    page.select_option("select[name=township]", "丁蜀镇")
    page.fill("input[name=sender]", "特种设备安全专项整治工作专班")
    page.fill("textarea[name=text]", "请各镇（街道）对未经许可擅自从事电梯维护保养的单位依法处罚。")
    page.click("#check-form button")  # a trial check: a verdict, nothing stored
    page.wait_for_selector("#verdict")
    assert page.locator("#verdict .big").inner_text() == "收回事项下压"
    assert "收回" in page.locator("#verdict p").inner_text()
    assert "特种设备安全专项整治工作专班" not in page.locator("#report").inner_text()
    page.check("input[name=keep]")  # kept when asked
    page.click("#check-form button")
    page.wait_for_selector("#verdict")
    assert "特种设备安全专项整治工作专班" in page.locator("#report").inner_text()
    shot(page, "07-delegation")


def test_graph_explorer_expands_nodes(server, page):
    page.goto(server + "/graph?start=" + "Township:丁蜀镇")
    wait_js(page, "window.dutygraph && window.dutygraph.nodes().length > 5")
    before = page.evaluate("window.dutygraph.nodes().length")
    node = page.evaluate("window.dutygraph.nodes('[label = \"DutyList\"]').first().id()")
    page.evaluate(f"window.dutygraph.getElementById({node!r}).emit('dbltap')")
    wait_js(page, f"window.dutygraph.nodes().length > {before}")
    page.evaluate(f"window.dutygraph.getElementById({node!r}).emit('tap')")
    page.wait_for_selector("#details dl")
    assert "清单" in page.locator("#details h3").inner_text()
    assert page.locator("#legend span").count() >= 3
    shot(page, "08-graph")
    with page.expect_download() as dl:
        page.click("#png")
    assert dl.value.suggested_filename == "dutygraph.png"


def test_the_explorer_goes_from_a_law_by_name_to_its_duties_across_townships(server, page):
    page.goto(server + "/graph")
    wait_js(page, "window.dutygraph && window.dutygraph.nodes().length > 5")  # the default start
    page.fill("#find", "安全生产法")
    page.wait_for_selector("#suggest li")
    page.locator("#suggest li", has_text="中华人民共和国安全生产法").first.click()
    wait_js(page, "window.dutygraph.nodes('[label = \"Law\"]').length == 1")
    law = page.evaluate("window.dutygraph.nodes('[label = \"Law\"]').first().id()")
    page.evaluate(f"window.dutygraph.getElementById({law!r}).emit('tap')")
    page.wait_for_selector("#details dl")
    details = page.locator("#details").inner_text()
    assert "标题" in details and "content_hash" not in details and "digest" not in details  # Chinese fields only
    page.click("#law-duties")
    wait_js(page, "window.dutygraph.nodes('[label = \"DutyItem\"]').length > 3")
    names = page.evaluate("window.dutygraph.nodes('[label = \"DutyItem\"]').map(n => n.data('name'))")
    assert any("个乡镇)" in n for n in names)  # one node per duty, with how many townships list it
    assert "显示" in page.locator("#shown").inner_text()
    captions = page.evaluate("window.dutygraph.nodes('[label = \"LawVersion\"]').map(n => n.data('short'))")
    assert all("版" in c for c in captions)  # the date that tells versions apart is never cut off
    shot(page, "08b-graph-law-duties")
    page.click("#save-view")
    assert "#v=" in page.url
    page.goto(page.url)  # the saved view opens as it was
    wait_js(page, "window.dutygraph && window.dutygraph.nodes('[label = \"DutyItem\"]').length > 3")


def test_pages_show_errors_in_words(server, page):
    page.goto(server + "/items/no-such-item")
    assert "没有找到" in page.locator("h1").inner_text()
    for path in ("/townships/丁蜀镇", "/orphans?kind=superseded", "/consistency", "/departments/市应急局",
                 "/townships/丁蜀镇/posts/应急管理办公室", "/laws"):
        t = time.perf_counter()
        page.goto(server + path)
        took = time.perf_counter() - t
        assert page.locator("h1").count() == 1, path
        assert took < 30, (path, took)
    shot(page, "09-orphans")


def test_pages_run_under_the_content_security_policy(server, page):
    for path in ("/", "/laws/安全生产法/diff", "/graph?node=Township:丁蜀镇", "/docs", "/delegation"):
        r = page.goto(server + path)
        assert "frame-ancestors 'none'" in r.headers["content-security-policy"]
        page.wait_for_load_state("networkidle")
    page.goto(server + "/laws/安全生产法/diff")
    page.uncheck("#only-changed")
    assert "show-all" in page.evaluate("document.body.className")
    page.goto(server + "/docs")
    page.wait_for_selector(".swagger-ui .info", timeout=20000)


def test_record_statistics_draw_their_charts(server, page, sample_store):
    from dutygraph.ingest.records import Record
    from dutygraph.ingest.sample_records import generate
    from dutygraph.services import records
    from dutygraph.services.delegation import Matcher

    matcher = Matcher.load(sample_store)
    rows = generate(matcher, 200)
    recs = [Record(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], "browser-test", "", k)
            for k, r in enumerate(rows, 2)]
    records.keep(sample_store, records.route(recs, matcher), "browser-test.xlsx")
    page.goto(server + "/records")
    wait_js(page, "document.querySelectorAll('[data-rendered=true] canvas').length >= 2")
    assert "派错一方" in page.locator("body").inner_text()
    box = page.locator("#chart-townships canvas").first.bounding_box()
    assert box and box["width"] > 300 and box["height"] > 200
    shot(page, "10-records")  # kept as a test artifact
    page.goto(server + "/townships/丁蜀镇/posts/应急管理办公室")
    assert "岗位职责说明书" in page.locator("h1").inner_text()
    shot(page, "11-statement")


def test_a_township_name_in_cjk_extension_a_renders_with_a_real_glyph(page, server):
    """湖㳇镇: U+3CC7 is in CJK Extension A, which the first CJK font installed lacked (a box was drawn). The glyph
    drawn in the page's own font must differ from the box a private-use character gets (no font has one)."""
    page.goto(f"{server}/townships/湖㳇镇")
    assert "湖㳇镇" in page.inner_text("h1")
    drawn = page.evaluate("""() => {
        const font = getComputedStyle(document.querySelector('h1')).font;
        const pixels = (ch) => {
            const c = document.createElement('canvas');
            c.width = 64; c.height = 64;
            const x = c.getContext('2d');
            x.font = font; x.fillStyle = '#000'; x.textBaseline = 'top';
            x.fillText(ch, 4, 4);
            return Array.from(x.getImageData(0, 0, 64, 64).data).join(',');
        };
        return {ext_a: pixels('\u3cc7'), missing: pixels('\ue000'), known: pixels('镇')};
    }""")
    assert drawn["known"] != drawn["missing"]  # the method tells a glyph from the box
    assert drawn["ext_a"] != drawn["missing"], "㳇 is drawn as a missing-glyph box: install fonts-noto-cjk"
