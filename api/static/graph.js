// Graph explorer and item neighbourhood: Cytoscape.js (vendored), data from /api/graph/*.
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
        "font-size": 10, "text-valign": "bottom", "text-margin-y": 3, width: 18, height: 18, "text-wrap": "ellipsis", "text-max-width": 90,
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
  const selectedTypes = () => typesBox ? [...typesBox.querySelectorAll("input:checked")].map((x) => x.value) : [];

  function addNode(n, cls) {
    const id = n.label + ":" + n.id;
    if (cy.getElementById(id).length) return cy.getElementById(id);
    const short = (n.name || n.id).length > 14 ? (n.name || n.id).slice(0, 14) + "…" : (n.name || n.id);
    return cy.add({ group: "nodes", data: { id, key: n.id, label: n.label, name: n.name || n.id, short }, classes: cls || "" });
  }

  async function expand(key) {
    const params = new URLSearchParams({ node: key, limit: "60" });
    const types = selectedTypes();
    if (typesBox && types.length) params.set("types", types.join(","));
    const r = await fetch("/api/graph/neighbours?" + params);
    if (!r.ok) { showError((await r.json()).message || "载入失败"); return; }
    const data = await r.json();
    const centre = addNode(data.node, "start-candidate");
    for (const m of data.neighbours) {
      const node = addNode(m);
      const [s, t] = m.outgoing ? [centre.id(), node.id()] : [node.id(), centre.id()];
      const eid = s + "|" + m.type + "|" + t;
      if (!cy.getElementById(eid).length) cy.add({ group: "edges", data: { id: eid, source: s, target: t, type: m.type, typeName: m.type_cn || m.type } });
    }
    relayout();
    legend();
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
    details.innerHTML = "";
    const h = document.createElement("h3");
    h.textContent = (NAMES[node.data("label")] || node.data("label")) + " · " + node.data("name");
    details.append(h);
    const dl = document.createElement("dl");
    for (const [k, v] of Object.entries(data.properties || {})) {
      if (v === null || v === "") continue;
      const dt = document.createElement("dt"); dt.textContent = k;
      const dd = document.createElement("dd"); dd.textContent = typeof v === "object" ? JSON.stringify(v) : String(v).slice(0, 400);
      dl.append(dt, dd);
    }
    details.append(dl);
    if (data.href) { const a = document.createElement("a"); a.href = data.href; a.textContent = "打开页面 →"; details.append(a); }
    const div = document.createElement("div"); div.id = "legend"; details.append(div); legend();
  }

  cy.on("tap", "node", (e) => showDetails(e.target));
  cy.on("dbltap", "node", (e) => expand(e.target.id()));
  const start = el.dataset.start;
  const form = document.getElementById("graph-form");
  if (form) form.addEventListener("submit", (e) => e.preventDefault());
  const go = document.getElementById("go");
  if (go) go.addEventListener("click", () => { cy.elements().remove(); expand(document.getElementById("start").value.trim()); });
  const lay = document.getElementById("layout");
  if (lay) lay.addEventListener("click", relayout);
  const png = document.getElementById("png");
  if (png) png.addEventListener("click", () => {
    const a = document.createElement("a");
    a.href = cy.png({ full: true, scale: 2, bg: "#ffffff" });
    a.download = "dutygraph.png";
    a.click();
  });
  if (start) expand(start).then(() => cy.getElementById(start).addClass("start"));
})();
