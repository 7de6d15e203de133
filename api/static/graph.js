// Graph explorer and item neighbourhood: Cytoscape.js (vendored), data from /api/graph/*. Start by name with
// suggestions; expand a node (double click) along the chosen kinds of relationship, "N of M shown" with more on
// demand; a law's cited articles and their duties in one step; hide and collapse; the view saved in the link.
(function () {
  const el = document.getElementById("cy");
  if (!el || typeof cytoscape === "undefined") return;
  const COLORS = { Township: "#0b5cad", DutyList: "#7a5af8", DutyItem: "#f79009", Department: "#12b76a", Post: "#2e90fa",
    Agency: "#06aed4", Law: "#b42318", LawVersion: "#e04f5f", Article: "#d92d20", Paragraph: "#f97066", Point: "#fda29b",
    Citation: "#667085", Task: "#dd2590" };
  const NAMES = { Township: "乡镇", DutyList: "清单", DutyItem: "事项", Department: "部门", Post: "岗位", Agency: "派驻机构",
    Law: "法律", LawVersion: "版本", Article: "条", Paragraph: "款", Point: "项", Citation: "依据引用", Task: "任务" };
  const cy = cytoscape({
    container: el, wheelSensitivity: 0.3, minZoom: 0.1, maxZoom: 3,
    style: [
      { selector: "node", style: { "background-color": (n) => COLORS[n.data("label")] || "#999", label: "data(short)",
        "font-size": 10, "text-valign": "bottom", "text-margin-y": 3, width: 18, height: 18, "text-wrap": "wrap", "text-max-width": 110,
        "text-background-color": "#ffffff", "text-background-opacity": 0.8, "text-background-padding": 1 } },
      { selector: "node.start", style: { width: 28, height: 28, "border-width": 3, "border-color": "#111" } },
      { selector: "node:selected", style: { "border-width": 3, "border-color": "#fdb022" } },
      { selector: "edge", style: { width: 1, "line-color": "#c0c8d2", "target-arrow-shape": "triangle", "target-arrow-color": "#c0c8d2",
        "curve-style": "bezier", label: "data(typeName)", "font-size": 7, color: "#8a96a3", "text-rotation": "autorotate" } },
    ],
  });
  window.dutygraph = cy;
  const details = document.getElementById("details");
  const typesBox = document.getElementById("types");
  const view = { expand: [], laws: [] }; // what was opened, replayed from the link
  const selectedTypes = () => typesBox ? [...typesBox.querySelectorAll("input:checked")].flatMap((x) => x.value.split(",")) : [];

  // a caption keeps what tells nodes apart: the law's short name and the version's date, not a title cut off
  function caption(name, label) {
    let s = (name || "").replace(/^中华人民共和国/, "");
    if (label === "LawVersion") {
      const m = s.match(/^(.*) (\d{4}-\d{2}-\d{2}) 版$/);
      if (m) s = (m[1].length > 10 ? m[1].slice(0, 10) + "…" : m[1]) + "\n" + m[2] + " 版";
    } else if (s.length > 18) s = s.slice(0, 18) + "…";
    return s;
  }

  function addNode(n, cls) {
    const id = n.label + ":" + n.id;
    if (cy.getElementById(id).length) return cy.getElementById(id);
    return cy.add({ group: "nodes", data: { id, key: n.id, label: n.label, name: n.name || n.id, short: caption(n.name || n.id, n.label) },
      classes: cls || "" });
  }

  function addEdge(s, t, type, typeName) {
    const eid = s + "|" + type + "|" + t;
    if (!cy.getElementById(eid).length) cy.add({ group: "edges", data: { id: eid, source: s, target: t, type, typeName } });
  }

  async function expand(key, skip) {
    const params = new URLSearchParams({ node: key, limit: "60", skip: String(skip || 0) });
    const types = selectedTypes();
    if (typesBox && types.length) params.set("types", types.join(","));
    const r = await fetch("/api/graph/neighbours?" + params);
    if (!r.ok) { showError((await r.json()).message || "载入失败"); return; }
    const data = await r.json();
    const centre = addNode(data.node);
    for (const m of data.neighbours) {
      const node = addNode(m);
      const [s, t] = m.outgoing ? [centre.id(), node.id()] : [node.id(), centre.id()];
      addEdge(s, t, m.type, m.type_cn || m.type);
    }
    if (!view.expand.includes(key)) view.expand.push(key);
    relayout();
    notice(data, key);
    legend();
  }

  async function lawDuties(lawKey) {
    const r = await fetch("/api/graph/law-duties?" + new URLSearchParams({ law: lawKey.split(":").slice(1).join(":") }));
    if (!r.ok) { showError((await r.json()).message || "载入失败"); return; }
    const data = await r.json();
    const law = addNode(data.node);
    for (const row of data.rows) {
      const art = addNode({ label: "Article", id: row.article_id, name: data.node.name.replace(/^中华人民共和国/, "") + " " + row.article });
      addEdge(law.id(), art.id(), "CITED_ARTICLE", "被引条文");
      const duty = addNode({ label: "DutyItem", id: row.item_id, name: row.name + (row.townships > 1 ? ` (${row.townships} 个乡镇)` : "") });
      addEdge(duty.id(), art.id(), "CITES", "依据");
    }
    if (!view.laws.includes(lawKey)) view.laws.push(lawKey);
    relayout();
    notice({ shown: data.shown, total: data.total, by_type: {} }, null, "条文—事项");
    legend();
  }

  // "60 of 339 shown", per kind of relationship, with the next ones on demand
  function notice(data, key, what) {
    if (!details) return;
    let box = document.getElementById("shown");
    if (!box) { box = document.createElement("div"); box.id = "shown"; details.prepend(box); }
    box.className = data.shown < data.total ? "warn" : "muted";
    box.textContent = `${what || "邻居"}: 显示 ${data.shown} / 共 ${data.total}`;
    const kinds = Object.entries(data.by_type || {}).map(([t, n]) => `${t} ${n}`).join(" · ");
    if (kinds) box.append(document.createElement("br"), document.createTextNode(kinds));
    if (key && data.shown < data.total) {
      const more = document.createElement("button");
      more.type = "button"; more.textContent = "再显示 60 个"; more.id = "more";
      more.addEventListener("click", () => expand(key, data.shown));
      box.append(" ", more);
    }
  }

  function relayout() {
    const n = cy.nodes().length;
    cy.layout(n > 120 ? { name: "concentric", minNodeSpacing: 6, animate: false, concentric: (x) => x.degree(), levelWidth: () => 3 }
      // labels count as part of a node's size, so neighbours' names do not overlap
      : { name: "cose", animate: false, nodeRepulsion: 20000, idealEdgeLength: 110, randomize: false,
          nodeDimensionsIncludeLabels: true, padding: 20 }).run();
  }

  function legend() {
    const box = document.getElementById("legend");
    if (!box) return;
    const seen = [...new Set(cy.nodes().map((n) => n.data("label")))];
    box.innerHTML = "";
    for (const l of seen) {
      const s = document.createElement("span");
      const i = document.createElement("i");
      i.style.background = COLORS[l] || "#999";
      s.append(i, document.createTextNode(NAMES[l] || l));
      box.append(s);
    }
  }

  function showError(msg) {
    const d = document.createElement("div");
    d.className = "error";
    d.textContent = msg;
    el.parentElement.prepend(d);
  }

  async function showDetails(node) {
    if (!details) { if (node.data("label") === "DutyItem") location.href = "/items/" + encodeURIComponent(node.data("key")); return; }
    const r = await fetch("/api/graph/node?" + new URLSearchParams({ node: node.id() }));
    const data = await r.json();
    const shown = document.getElementById("shown");
    details.innerHTML = "";
    if (shown) details.append(shown);
    const h = document.createElement("h3");
    h.textContent = (NAMES[node.data("label")] || node.data("label")) + " · " + node.data("name");
    details.append(h);
    const dl = document.createElement("dl");
    for (const [k, v] of data.fields || []) {
      const dt = document.createElement("dt"); dt.textContent = k;
      const dd = document.createElement("dd"); dd.textContent = String(v).slice(0, 400);
      dl.append(dt, dd);
    }
    details.append(dl);
    const deg = Object.entries(data.degree || {});
    if (deg.length) {
      const p = document.createElement("p"); p.className = "muted";
      p.textContent = "关系: " + deg.map(([t, n]) => `${t} ${n}`).join(" · ");
      details.append(p);
    }
    if (data.label === "Law") {
      const b = document.createElement("button"); b.type = "button"; b.id = "law-duties"; b.textContent = "展开: 被引条文 → 履职事项";
      b.addEventListener("click", () => lawDuties(node.id()));
      details.append(b);
    }
    if (data.href) { const a = document.createElement("a"); a.href = data.href; a.textContent = " 打开页面 →"; details.append(a); }
    const div = document.createElement("div"); div.id = "legend"; details.append(div); legend();
  }

  cy.on("tap", "node", (e) => showDetails(e.target));
  cy.on("dbltap", "node", (e) => expand(e.target.id()));

  // start by name: suggestions from laws, articles, departments, townships and duties
  const find = document.getElementById("find");
  const list = document.getElementById("suggest");
  let timer = null;
  function open(key) {
    cy.elements().remove();
    view.expand = []; view.laws = [];
    expand(key).then(() => cy.getElementById(key).addClass("start"));
  }
  if (find && list) {
    find.addEventListener("input", () => {
      clearTimeout(timer);
      const q = find.value.trim();
      if (!q) { list.hidden = true; return; }
      timer = setTimeout(async () => {
        const r = await fetch("/api/graph/find?" + new URLSearchParams({ q }));
        if (!r.ok) return;
        const rows = await r.json();
        list.innerHTML = "";
        for (const x of rows) {
          const li = document.createElement("li");
          li.textContent = x.name;
          const tag = document.createElement("span"); tag.className = "tag"; tag.textContent = x.kind;
          li.prepend(tag, " ");
          li.addEventListener("click", () => { list.hidden = true; find.value = x.name; open(x.node); });
          list.append(li);
        }
        list.hidden = rows.length === 0;
      }, 200);
    });
  }
  const form = document.getElementById("graph-form");
  if (form) form.addEventListener("submit", (e) => e.preventDefault());
  const on = (id, f) => { const b = document.getElementById(id); if (b) b.addEventListener("click", f); };
  on("layout", relayout);
  on("hide", () => cy.$(":selected").remove());
  on("collapse", () => {
    for (const n of cy.$("node:selected")) n.neighborhood("node").filter((m) => m.degree() === 1).remove();
  });
  on("save-view", async () => {
    const link = location.origin + location.pathname + "#v=" + encodeURIComponent(JSON.stringify(view));
    history.replaceState(null, "", link);
    try { await navigator.clipboard.writeText(link); } catch (e) { /* the address bar has it */ }
  });
  on("png", () => {
    const a = document.createElement("a");
    a.href = cy.png({ full: true, scale: 2, bg: "#ffffff" });
    a.download = "dutygraph.png";
    a.click();
  });
  const saved = location.hash.startsWith("#v=") ? JSON.parse(decodeURIComponent(location.hash.slice(3))) : null;
  if (saved) {
    (async () => {
      for (const k of saved.expand || []) await expand(k);
      for (const k of saved.laws || []) await lawDuties(k);
    })();
  } else if (el.dataset.start) {
    const start = el.dataset.start;
    expand(start).then(() => cy.getElementById(start).addClass("start"));
  }
})();
