"""Life-cycle records for the demo, made at run time through the same services people use: second versions of
a few sample townships (published change requests), requests waiting at each step or rejected, drafts from a
law change, and two 准入 applications (one clearly off-list). Everything is constructed, never real."""

from __future__ import annotations

import datetime as dt
from typing import Any

from dutygraph.graph.errors import DutyGraphError
from dutygraph.graph.store import GraphStore
from dutygraph.ingest.reserved import entry, load_reserved
from dutygraph.services.lifecycle import Admissions, ChangeRequests, Principal

BIANBAN = Principal("bianban", None, "编办审核人(样例)")
LEGAL = Principal("legal", None, "司法局审核人(样例)")


def _town(name: str) -> Principal:
    return Principal("township", name, f"乡镇(街道)·{name}")


def seed(store: GraphStore, extractor: Any, matcher: Any, provisions: Any, list_date: str) -> dict[str, int]:
    requests, admissions = ChangeRequests(store), Admissions(store)
    day = dt.date.fromisoformat(list_date)
    later = (day + dt.timedelta(days=92)).isoformat()
    towns = [r["name"] for r in store.query("analytics.townships")]
    made = {"applied": 0, "waiting": 0, "rejected": 0, "drafts": 0, "admissions": 0}

    def items(town: str, part: str) -> list[dict]:
        t = store.query("lists.find_township", name=town)[0]
        return [i for i in store.query("history.current_items", township_id=t["id"]) if i["part"] == part]

    def approve(rid: str) -> None:
        requests.review(BIANBAN, rid, "bianban", "approve", "符合清单调整程序")
        requests.review(LEGAL, rid, "legal", "approve", "合法性审核通过")

    if len(towns) < 5:
        return made
    a, b, c, d, e = sorted(towns)[:5]
    # a published addition and a published move: two townships get a second version
    r = requests.propose(_town(a), a, "add", "practice", "汛期河道巡查是街道日常工作, 清单未列",
                         "2025 年防汛防台工作总结", [], [{"part": "basic", "name": "防汛防台河道巡查",
                                                         "content": "汛期组织巡查河道堤防, 发现险情及时报告",
                                                         "post": "应急管理办公室"}])
    approve(r["id"])
    requests.apply(BIANBAN, r["id"], later, extractor)
    made["applied"] += 1
    coop = items(b, "cooperative")
    if coop:
        x = coop[0]
        r = requests.propose(_town(b), b, "move", "assessment", "考核评估发现该事项由镇里实际牵头",
                             "2025 年度综合考核反馈", [x["id"]],
                             [{"part": "basic", "name": x["name"], "post": "综合办公室"}])
        approve(r["id"])
        requests.apply(BIANBAN, r["id"], later, extractor)
        made["applied"] += 1
    # waiting at each step, and one rejected
    basic = items(c, "basic")
    if basic:
        r = requests.propose(_town(c), c, "remove", "policy", "该事项已由市级部门统一实施", "市政府办公室文件",
                             [basic[-1]["id"]], [])
        requests.review(BIANBAN, r["id"], "bianban", "approve", "同意, 请司法局审核")
        made["waiting"] += 1
    basic = items(d, "basic")
    if basic:
        requests.propose(_town(d), d, "reword", "citizens", "群众反映事项名称难以理解", "12345 热线记录",
                         [basic[0]["id"]], [{"part": "basic", "name": basic[0]["name"] + "(含便民服务)",
                                             "post": "社会事业办公室"}])
        made["waiting"] += 1
    basic = items(e, "basic")
    if basic:
        r = requests.propose(_town(e), e, "remove", "practice", "工作量大, 希望取消", "", [basic[0]["id"]], [])
        requests.review(BIANBAN, r["id"], "bianban", "approve", "")
        requests.review(LEGAL, r["id"], "legal", "reject", "该事项有法律明确规定由乡镇履行, 不能取消")
        made["rejected"] += 1
    # drafts from a law change, where the corpus holds two versions of 安全生产法
    try:
        from dutygraph.services.impact import ImpactService

        worklist = ImpactService(store).amendment("安全生产法", None, None)
        worklist["items"] = [x for x in worklist["items"] if x["change"] != "unchanged"][:6]
        made["drafts"] = len(requests.drafts_from_impact(BIANBAN, worklist, worklist["to"]))
    except DutyGraphError:
        pass
    # 准入 reference catalogue: the county departments' taken-back duties, plus the gas licence (a county
    # 许可 the sample lists do not hold), so the off-list application below also meets the catalogue
    catalogue = [entry(r["name"], r["department"], r["basis"], "示例: 取自样例清单的上级部门收回事项", "sample")
                 for r in store.query("reserved.from_taken_back", limit=300)]
    catalogue.append(entry("燃气经营许可证核发", "市住房和城乡建设局", "《城镇燃气管理条例》第十五条", "示例",
                           "sample"))
    load_reserved(store, catalogue)
    # 准入: one clearly off-list, one a known 配合 duty
    admissions.apply(Principal("department", "市住房和城乡建设局", "县级部门·市住房和城乡建设局"), "燃气经营许可证核发",
                     "请各镇街负责辖区内燃气经营许可证的核发工作", None, matcher, provisions)
    ok = admissions.apply(Principal("department", "市应急管理局", "县级部门·市应急管理局"), "危险化学品企业安全检查",
                          "请各镇(街道)配合做好辖区危险化学品企业安全检查", None, matcher, provisions)
    admissions.decide(BIANBAN, ok["id"], "approve", "属清单内配合事项")
    made["admissions"] = 2
    store.persist()
    return made
