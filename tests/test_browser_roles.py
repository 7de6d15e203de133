"""Each role does its job through the browser alone, signed in with its own token on a writable graph: a
township proposes a change and uploads its 12345 records, the 编办 and the 司法局 review it and the 编办 publishes
it, a department applies for 准入 and the 编办 decides, the supervisor settles a task the matcher left
undecided. Every step is a click or a form; the only setup beyond loading the graph is one stored task.
Screenshots go to test-artifacts/roles-*.png."""

import datetime as dt

import pytest
from dutygraph.api.app import create_app
from dutygraph.graph.settings import Settings
from openpyxl import Workbook

from tests.conftest import live_server, load
from tests.test_browser import shot
from tests.test_lists import SAFETY, workbook

pytestmark = [pytest.mark.browser, pytest.mark.falkordb_only]
TOKENS = {"zt-token": "township@周铁镇", "bb-token": "bianban", "sf-token": "legal",
          "yj-token": "department@市应急管理局", "ad-token": "admin"}


@pytest.fixture
def server(store, tmp_path):
    extra = [[5, "应急管理", "安全生产监督检查和隐患排查", "对本行政区域内生产经营单位安全生产状况进行监督检查", "安监办", "", ""]]
    load(store, SAFETY, [(workbook(tmp_path / f"{t}.xlsx", extra), t, "2025-06-30") for t in ("周铁镇", "和桥镇")])
    settings = Settings(api_tokens=",".join(f"{k}:{v}" for k, v in TOKENS.items()))
    with live_server(create_app(settings, store=store)) as url:
        yield url


def sign_in(page, server: str, token: str) -> None:
    page.context.clear_cookies()
    page.goto(server + "/login")
    page.fill("input[name=token]", token)
    page.click("form[action='/login'] button")
    page.wait_for_url(server + "/")


def test_a_change_request_goes_from_the_township_through_both_reviews_to_a_new_version(server, page):
    sign_in(page, server, "zt-token")
    page.goto(server + "/requests/new?township=周铁镇")
    page.select_option("select[name=kind]", "remove")  # a removal that adds a row: the form comes back, filled in
    page.select_option("select[name=reason_type]", "practice")
    page.fill("textarea[name=reason]", "辖区新建两处农贸市场, 需要日常巡查")
    page.fill("input[name=add1_name]", "农贸市场日常巡查")
    page.fill("input[name=add1_content]", "对辖区农贸市场开展日常巡查")
    page.fill("input[name=add1_post]", "经济发展办公室")
    page.click(".request-form button[type=submit]")
    assert "应勾选现行事项 至少 1 项" in page.locator(".error").inner_text()
    assert page.input_value("textarea[name=reason]") == "辖区新建两处农贸市场, 需要日常巡查"
    assert page.input_value("input[name=add1_name]") == "农贸市场日常巡查"
    page.select_option("select[name=kind]", "add")
    page.fill("#pick-filter", "网格")  # the item list narrows as one types
    assert page.locator(".pick .item-pick:visible").count() == 1
    page.click(".request-form button[type=submit]")
    page.wait_for_selector("#actions")
    url = page.url
    assert "待编办审核" in page.locator("h1").inner_text()
    shot(page, "roles-01-township-request")

    sign_in(page, server, "sf-token")  # the 司法局 cannot act before the 编办
    page.goto(url)
    assert "等待编办审核" in page.locator("#actions").inner_text()
    sign_in(page, server, "bb-token")
    page.goto(url)
    page.click("#actions button[value=reject]")  # a return needs a reason: said on a page, nothing changed
    assert "须说明理由" in page.locator("body").inner_text()
    page.goto(url)
    page.fill("textarea[name=comment]", "符合实际, 同意")
    page.click("#actions button[value=approve]")
    page.wait_for_selector("#actions")
    assert "待合法性审核" in page.locator("h1").inner_text()
    shot(page, "roles-02-bianban-review")
    sign_in(page, server, "sf-token")
    page.goto(url)
    page.click("#actions button[value=approve]")
    assert "已批准" in page.locator("h1").inner_text()
    sign_in(page, server, "bb-token")
    page.goto(url)
    page.fill("input[name=date]", dt.date.today().isoformat())
    page.click("#actions button[type=submit]")
    page.wait_for_selector("#actions")
    assert "已发布" in page.locator("h1").inner_text()
    body = page.locator("body").inner_text()
    assert "编办审核" in body and "司法局合法性审核" in body and "发布新版本" in body  # the log in words
    assert "request." not in body and "+00:00" not in body
    shot(page, "roles-03-published")
    page.click("text=查看新版本")
    assert page.locator("table").first.inner_text().count("\n") >= 2  # two versions listed


def test_a_department_applies_for_admission_and_the_bianban_decides(server, page):
    sign_in(page, server, "yj-token")
    page.goto(server + "/admissions")
    page.fill("#apply input[name=title]", "危险化学品企业安全检查")
    page.fill("#apply textarea[name=text]", "请各镇配合开展危险化学品企业安全检查")
    page.click("#apply button")
    page.wait_for_selector("section.card h2")
    assert "已自动审查" in page.locator("body").inner_text()
    assert page.locator("form.review-form").count() == 0  # a department does not decide
    sign_in(page, server, "bb-token")
    page.goto(server + "/admissions")
    page.fill("form.review-form textarea[name=comment]", "属于配合事项, 准入")
    page.click("form.review-form button[value=approve]")
    page.wait_for_selector("section.card")
    assert "属于配合事项, 准入" in page.locator("body").inner_text()
    assert page.locator("form.review-form").count() == 0
    shot(page, "roles-04-admission")


def test_the_supervisor_settles_a_task_left_undecided(server, page, store):
    from dutygraph.ingest.delegation import Task
    from dutygraph.ingest.extract import get_gazetteer
    from dutygraph.services.delegation import Verdict, store_verdicts

    task = Task("秸秆综合利用", "请各镇做好秸秆综合利用宣传", "市农业农村局", ["周铁镇"], "2026-11-02")
    store_verdicts(store, [Verdict(task, "周铁镇", "uncertain", 0.2, [], "最接近的事项相似度不足")], get_gazetteer())
    sign_in(page, server, "bb-token")
    page.goto(server + "/delegation")
    page.click("text=待人工判断 1 项")
    assert page.locator("section.task").count() == 1
    page.select_option("select[name=verdict]", "off_list")
    page.fill("input[name=note]", "清单中没有秸秆利用事项")
    page.click("section.task button")
    assert "没有待人工判断的任务" in page.locator("body").inner_text()
    page.goto(server + "/delegation")
    assert "秸秆综合利用" in page.locator("#report").inner_text()  # counted as off the list now
    shot(page, "roles-05-waiting")


def test_a_township_uploads_its_records_and_sees_them_routed(server, page, tmp_path):
    path = tmp_path / "工单.xlsx"
    wb = Workbook()
    ws = wb.active
    ws.append(["工单号", "乡镇(街道)", "诉求内容", "受理时间"])
    ws.append(["A1", "周铁镇", "村里的网格员很久没来巡查了", "2026-11-01 09:00"])
    ws.append(["A2", "周铁镇", "附近危险化学品仓库存在安全隐患", "2026-11-02 10:00"])
    wb.save(path)
    sign_in(page, server, "zt-token")
    page.goto(server + "/uploads")
    with page.expect_download() as dl:
        page.click("#up-records a.more")
    assert dl.value.suggested_filename.endswith(".xlsx")
    page.set_input_files("#up-records input[type=file]", str(path))
    page.click("#up-records button")
    page.wait_for_selector("#done-records")
    assert page.locator("#routed tbody tr").count() == 2
    shot(page, "roles-06-records")
    other = tmp_path / "和桥.xlsx"  # another township's record: refused with its row, nothing kept
    ws.append(["A3", "和桥镇", "路灯不亮", "2026-11-03 10:00"])
    wb.save(other)
    page.set_input_files("#up-records input[type=file]", str(other))
    page.click("#up-records button")
    error = page.locator("#error-records").inner_text()
    assert "第 4 行" in error and "和桥镇" in error and "和桥.xlsx" in error
    assert page.locator("#up-list form").count() == 0  # only the admin loads lists


def test_the_bianban_compiles_a_first_list_from_the_sweep_in_the_browser(server, page, tmp_path):
    from tests.test_compilation import ROWS, sweep_file

    bad = sweep_file(tmp_path / "坏表.xlsx", [*ROWS, ("6", "", "工作报告", "党政办公室", "戊")])
    good = sweep_file(tmp_path / "摸排.xlsx")
    sign_in(page, server, "bb-token")
    page.goto(server + "/compile")
    page.fill("#load input[name=township]", "新庄镇")
    page.set_input_files("#load input[type=file]", str(bad))
    page.click("#load button")
    assert "坏表.xlsx" in page.locator(".error").inner_text() and "第 7 行" in page.locator(".error").inner_text()
    assert page.input_value("#load input[name=township]") == "新庄镇"
    page.set_input_files("#load input[type=file]", str(good))
    page.click("#load button")
    page.click("text=生成整合归并建议")
    page.wait_for_selector("table.draft")
    assert "参加市应急管理局召开的安全生产工作会议" in page.locator("#set-aside").inner_text()
    shot(page, "roles-07-compile-round1")
    row = page.locator("table.draft tbody tr", has_text="紫砂陶土")
    key = row.get_attribute("data-key")
    row.locator(f"select[name=action_{key}]").select_option("rename")
    row.locator(f"input[name=name_{key}]").fill("紫砂陶土资源保护")
    page.fill("#decisions input[name=note]", "二上: 专家意见")
    page.click("#decisions button[type=submit]")
    page.wait_for_selector("#diff")
    assert "紫砂陶土资源保护" in page.locator("#diff").inner_text()
    page.select_option("#comments select[name=kind]", "司法局合法性审查")
    page.fill("#comments input[name=text]", "收回事项的依据请核对")
    page.click("#comments button")
    assert "收回事项的依据请核对" in page.locator("#comments").inner_text()
    with page.expect_download() as dl:
        page.click("text=导出 Excel")
    assert dl.value.suggested_filename.endswith(".xlsx")
    shot(page, "roles-08-compile-round2")
    page.click("#publish button")
    page.wait_for_url("**/townships/*")
    assert "紫砂陶土资源保护" in page.locator("body").inner_text()
    shot(page, "roles-09-compile-published")


def test_after_publication_pages_draw_their_charts(server, page, tmp_path):
    import datetime as dt

    from tests.test_followup import DEPT, TAKEN, sheet

    past = (dt.date.today() - dt.timedelta(days=10)).isoformat()
    plans = sheet(tmp_path / "交接方案.xlsx", ["乡镇(街道)", "事项名称", "承接部门", "计划完成时间", "资料目录"],
                  [["周铁镇", TAKEN, DEPT, past, "执法案卷（未移交）"]])
    sign_in(page, server, "ad-token")
    page.goto(server + "/followup")
    page.set_input_files("#plans input[type=file]", str(plans))
    page.click("#plans form.busy-form button")
    page.wait_for_selector("#chart-handover[data-rendered=true] canvas")
    assert TAKEN in page.locator("#overdue").inner_text()
    shot(page, "roles-10-handover")
    sign_in(page, server, "zt-token")
    page.goto(server + "/followup/ratings")
    page.fill("#rate input[name=target]", DEPT)
    page.select_option("#rate select[name=reporting]", "2")
    page.fill("#rate input[name=comment]", "报到不及时")
    page.click("#rate button")
    page.wait_for_selector("#chart-ratings[data-rendered=true] canvas")
    assert "报到不及时" in page.locator("#units").inner_text()
    shot(page, "roles-11-ratings")
    page.goto(server + "/followup/evaluation?township=周铁镇&period=2026")
    page.wait_for_selector("#chart-evaluation[data-rendered=true] canvas")
    assert "事项" in page.locator("#totals").inner_text()
    shot(page, "roles-12-evaluation")


def test_the_legal_reviewer_accepts_a_basis_once_for_every_township(server, page):
    sign_in(page, server, "sf-token")
    page.goto(server + "/orphans")
    page.click("text=依据建议待审核")
    row = page.locator("#worklist tbody tr", has_text="安全生产监督检查和隐患排查")
    assert "2 个" in row.inner_text()  # one row for the duty, not one per township
    row.locator("a").first.click()
    page.wait_for_selector("#suggestions")
    form = page.locator("form.accept-form").first
    form.locator("summary").click()
    form.locator("input[value=和桥镇]").uncheck()  # the exception
    form.locator("button").click()
    page.wait_for_selector("#suggestions")
    assert page.locator(".accepted").count() >= 1
    shot(page, "roles-13-basis-accepted")
    page.goto(server + "/suggestions?township=和桥镇")
    assert "安全生产监督检查和隐患排查" in page.locator("#worklist").inner_text()  # left out: still waiting
    page.goto(server + "/suggestions?township=周铁镇")
    assert "安全生产监督检查和隐患排查" not in page.locator("#worklist").inner_text()
