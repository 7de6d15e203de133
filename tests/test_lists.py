"""List ingestion into a real FalkorDB: graph shape, idempotency, atomic version switch, bad input."""

from pathlib import Path

import pytest
from dutygraph.graph.errors import InputError, StoreError
from dutygraph.ingest.lists import ingest_list, ingest_lists
from openpyxl import Workbook

from tests.conftest import HAVE_CURATED, LAWS, load

SAFETY = [LAWS / "older_versions_flk" / "中华人民共和国安全生产法(2014-08-31).md",
          LAWS / "current_lawrefbook" / "社会法" / "安全生产法(2021-06-10).md"]


def workbook(path: Path, extra_basic: list | None = None) -> Path:
    wb = Workbook()
    wb.remove(wb.active)
    ws = wb.create_sheet("基本履职事项")
    ws.append(["序号", "一级类别", "事项名称", "具体工作内容", "责任科室", "配合单位", "法律依据"])
    ws.append([1, "应急管理", "生产经营单位安全生产状况监督检查", "对本行政区域内生产经营单位安全生产状况进行监督检查",
               "安监办", "派出所", "《安全生产法》第九条第二款"])
    ws.append([2, "应急管理", "安全生产监督检查(旧条号)", "加强对本行政区域内生产经营单位安全生产状况的监督检查",
               "应急管理办公室", "", "《中华人民共和国安全生产法》第八条第三款"])
    ws.append([3, "基层治理", "网格化服务管理", "网格巡查", "", "", ""])
    ws.append([4, "基层治理", "矛盾纠纷排查", "排查化解", "平安建设办公室", "司法所", "相关法律法规"])
    for row in extra_basic or []:
        ws.append(row)
    ws = wb.create_sheet("配合履职事项")
    ws.append(["序号", "类别", "事项名称", "对应上级部门", "上级部门职责", "镇街配合职责", "责任科室"])
    ws.append([1, "应急管理", "危险化学品企业安全检查", "市应急局", "牵头检查", "配合检查", "应急管理办公室"])
    ws.append([2, "农业农村", "乡村振兴项目", "市乡村振兴服务中心", "牵头", "配合", "农业农村办公室"])
    ws = wb.create_sheet("上级部门收回事项")
    ws.append(["序号", "事项名称", "承接部门", "工作方式", "法律依据"])
    ws.append([1, "对未如实记录安全生产教育和培训情况的行政处罚", "市应急管理局", "市级部门直接行使",
               "《安全生产法》第九百条"])
    wb.save(path)
    return path


@pytest.fixture
def loaded(store):
    index, ex = load(store, SAFETY)
    return store, index, ex


def rels(store, rel: str) -> set[tuple]:
    rows = store.run_cypher(f"MATCH (a)-[:{rel}]->(b) RETURN a.name AS a, coalesce(b.name, b.id) AS b")
    return {(r["a"], r["b"]) for r in rows}


def current_items(store) -> set[tuple]:
    rows = store.run_cypher("MATCH (:DutyList {current: true})-[:HAS_ITEM]->(i:DutyItem) "
                            "RETURN i.name AS name, i.part AS part, i.basis_status AS basis")
    return {(r["name"], r["part"], r["basis"]) for r in rows}


def test_list_loads_items_organisations_and_citations(loaded, tmp_path):
    store, index, ex = loaded
    report = ingest_list(store, [workbook(tmp_path / "x.xlsx")], "周铁镇", "2025-06-30", extractor=ex, index=index)
    assert report.status == "loaded" and report.rows_read == 7
    assert report.items == {"基本": 4, "配合": 2, "收回": 1}
    assert report.citations == {"resolved": 1, "suspicious": 1, "unresolved": 1}
    assert (report.no_basis, report.vague_bases) == (3, 1)  # 网格化服务管理 and both 配合 rows have none
    assert [u["name"] for u in report.unknown_organisations] == ["市乡村振兴服务中心"]
    assert current_items(store) >= {("网格化服务管理", "basic", "none"), ("矛盾纠纷排查", "basic", "vague"),
                                    ("危险化学品企业安全检查", "cooperative", "none")}
    assert ("生产经营单位安全生产状况监督检查", "应急管理办公室") in rels(store, "LED_BY")  # 安监办 → canonical
    assert ("危险化学品企业安全检查", "市应急管理局") in rels(store, "LED_BY")
    assert ("危险化学品企业安全检查", "应急管理办公室") in rels(store, "COOPERATED_BY")
    assert ("生产经营单位安全生产状况监督检查", "周铁镇派出所") in rels(store, "COOPERATED_BY")
    assert ("周铁镇派出所", "市公安局") in rels(store, "DISPATCHED_BY")
    assert ("周铁镇派出所", "周铁镇") in rels(store, "STATIONED_IN")
    assert ("对未如实记录安全生产教育和培训情况的行政处罚", "市应急管理局") in rels(store, "TAKEN_BACK_BY")
    cites = store.run_cypher(
        "MATCH (i:DutyItem)-[:HAS_BASIS]->(c:Citation) OPTIONAL MATCH (c)-[:REFERS_TO]->(x) "
        "RETURN i.name AS item, c.status AS status, x.id AS target, c.suggested AS suggested")
    by_item = {c["item"]: c for c in cites}
    ok = by_item["生产经营单位安全生产状况监督检查"]
    assert (ok["status"], ok["target"]) == ("resolved", "中华人民共和国安全生产法@2021-06-10#第九条.2")
    old = by_item["安全生产监督检查(旧条号)"]
    assert old["status"] == "suspicious" and old["suggested"] == "中华人民共和国安全生产法@2021-06-10#第九条"
    bad = by_item["对未如实记录安全生产教育和培训情况的行政处罚"]
    assert (bad["status"], bad["target"]) == ("unresolved", None)  # kept and flagged, not dropped


def test_same_files_again_change_nothing(loaded, tmp_path):
    store, index, ex = loaded
    book = workbook(tmp_path / "x.xlsx")
    first = ingest_list(store, [book], "周铁镇", "2025-06-30", extractor=ex, index=index)
    before = store.label_counts()
    again = ingest_list(store, [book], "周铁镇", "2025-06-30", extractor=ex, index=index)
    assert again.status == "unchanged" and again.list_id == first.list_id
    assert store.label_counts() == before


def test_new_version_replaces_the_old_one(loaded, tmp_path):
    store, index, ex = loaded
    ingest_list(store, [workbook(tmp_path / "a.xlsx")], "周铁镇", "2025-06-30", extractor=ex, index=index)
    extra = [[5, "生态环保", "太湖蓝藻打捞", "蓝藻打捞", "生态环境办公室", "", ""]]
    ingest_list(store, [workbook(tmp_path / "b.xlsx", extra)], "周铁镇", "2025-09-30", extractor=ex, index=index)
    lists = store.run_cypher("MATCH (l:DutyList) RETURN l.date AS date, l.current AS current ORDER BY date")
    # the earlier version stays as history; its 7 unchanged items are the same nodes (same ids) in both
    assert lists == [{"date": "2025-06-30", "current": False}, {"date": "2025-09-30", "current": True}]
    assert store.run_cypher("MATCH (i:DutyItem) RETURN count(i) AS n")[0]["n"] == 8
    shared = store.run_cypher("MATCH (a:DutyList)-[:HAS_ITEM]->(i:DutyItem)<-[:HAS_ITEM]-(b:DutyList) "
                              "WHERE a.date < b.date RETURN count(i) AS n")
    assert shared[0]["n"] == 7
    assert ("太湖蓝藻打捞", "basic", "none") in current_items(store)


def test_failed_ingest_leaves_previous_version_current(loaded, tmp_path, monkeypatch):
    store, index, ex = loaded
    ingest_list(store, [workbook(tmp_path / "a.xlsx")], "周铁镇", "2025-06-30", extractor=ex, index=index)
    before = current_items(store)
    real_write = store.write

    def failing(name, rows, /, **kw):
        if name == "lists.upsert_citations":
            raise StoreError("connection lost (simulated)")
        return real_write(name, rows, **kw)

    monkeypatch.setattr(store, "write", failing)
    extra = [[5, "生态环保", "太湖蓝藻打捞", "蓝藻打捞", "生态环境办公室", "", ""]]
    with pytest.raises(StoreError):
        ingest_list(store, [workbook(tmp_path / "b.xlsx", extra)], "周铁镇", "2025-09-30", extractor=ex, index=index)
    assert current_items(store) == before  # the half-written version is not current
    monkeypatch.setattr(store, "write", real_write)
    ingest_list(store, [workbook(tmp_path / "b.xlsx", extra)], "周铁镇", "2025-09-30", extractor=ex, index=index)
    # the retry finishes the version the failed run began (same content, same id): no leftover, one history
    lists = store.run_cypher("MATCH (l:DutyList) RETURN l.current AS current, l.activated_at AS at")
    assert sorted(r["current"] for r in lists) == [False, True] and all(r["at"] for r in lists)
    assert ("太湖蓝藻打捞", "basic", "none") in current_items(store)


def test_bad_input_writes_nothing(loaded, tmp_path):
    store, index, ex = loaded
    before = store.label_counts()
    bad = tmp_path / "bad.csv"
    bad.write_text("序号,事项名称,镇街配合职责\n1,巡查,配合\n", encoding="utf-8")
    (tmp_path / "配合履职事项.csv").write_bytes(bad.read_bytes())
    with pytest.raises(InputError, match="对应上级部门"):
        ingest_list(store, [tmp_path / "配合履职事项.csv"], "周铁镇", "2025-06-30", extractor=ex, index=index)
    with pytest.raises(InputError, match="YYYY-MM-DD"):
        ingest_list(store, [bad], "周铁镇", "30/06/2025", extractor=ex, index=index)
    assert store.label_counts() == before


# the Neo4j driver is not fork-safe: Neo4jStore.fork_safe is False and the batch prepares in a thread there
@pytest.mark.parametrize("fork", [pytest.param(True, marks=pytest.mark.falkordb_only), False],
                         ids=["forked process", "thread (Neo4j)"])
def test_a_batch_prepared_ahead_loads_like_one_list_after_another(loaded, tmp_path, monkeypatch, fork):
    """ingest_lists prepares the next lists in a forked process (a thread where the store must not be forked)
    while it writes: the graph is the one loading them in turn gives, and a bad file stops the batch at that
    file, the lists before it loaded."""
    store, index, ex = loaded
    monkeypatch.setattr(store, "fork_safe", fork)
    a, b = workbook(tmp_path / "a.xlsx"), workbook(tmp_path / "b.xlsx", [[5, "生态环保", "蓝藻打捞", "", "", "", ""]])
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"PK\x03\x04 not a workbook")
    from dutygraph.ingest import analytics
    from dutygraph.services.duties import DutyService

    with pytest.raises(InputError) as e:  # 周铁镇 twice: its second list is switched after its first
        ingest_lists(store, [([a], "周铁镇", "2025-06-30"), ([b], "丁蜀镇", "2025-06-30"),
                             ([b], "周铁镇", "2025-09-30"), ([bad], "张渚镇", "2025-06-30"),
                             ([a], "和桥镇", "2025-06-30")], extractor=ex, index=index)
    assert e.value.file == str(bad)
    current = {(r["t"], r["d"]) for r in store.run_cypher(
        "MATCH (t:Township)-[:HAS_LIST]->(l:DutyList {current: true}) RETURN t.name AS t, l.date AS d")}
    assert current == {("周铁镇", "2025-09-30"), ("丁蜀镇", "2025-06-30")}
    assert analytics.check(store) == []  # the grouped switches left the materialised analytics exact
    batch = current_items(store), DutyService(store).consistency(10, 0)
    store.wipe()
    index, ex = load(store, SAFETY)
    ingest_list(store, [a], "周铁镇", "2025-06-30", extractor=ex, index=index)
    ingest_list(store, [b], "丁蜀镇", "2025-06-30", extractor=ex, index=index)
    ingest_list(store, [b], "周铁镇", "2025-09-30", extractor=ex, index=index)
    assert (current_items(store), DutyService(store).consistency(10, 0)) == batch
    assert ("蓝藻打捞", "basic", "none") in batch[0]


def test_sample_for_all_21_units_ingests(sample_store):
    reports = sample_store.sample_reports
    assert len(reports) == 21 and all(r.status == "loaded" for r in reports)
    # the sample is generated from the laws in the graph: the package corpus (378 laws) places fewer duties
    bounds = ((105, 125), (85, 107), (115, 132)) if HAVE_CURATED else ((90, 110), (85, 107), (80, 100))
    for r in reports:
        for part, (lo, hi) in zip(("基本", "配合", "收回"), bounds, strict=True):
            assert lo <= r.items[part] <= hi, (r.township, part, r.items[part])
    cited = sum(sum(r.citations.values()) for r in reports)
    resolved = sum(r.citations.get("resolved", 0) for r in reports)
    suspicious = sum(r.citations.get("suspicious", 0) for r in reports)
    assert resolved / cited > 0.85 and suspicious > (50 if HAVE_CURATED else 20)  # the planted superseded numbering
    assert sum(r.no_basis for r in reports) > 0 and sum(r.vague_bases for r in reports) > 0
    ding = next(r for r in reports if r.township == "丁蜀镇")
    if HAVE_CURATED:  # 非物质文化遗产法 is not in the curated corpus (it is in the package)
        assert ding.citations.get("unknown_law", 0) >= 1
    rows = sample_store.run_cypher("MATCH (t:Township)-[:HAS_LIST]->(l:DutyList {current: true}) RETURN count(t) AS n")
    assert rows[0]["n"] == 21
