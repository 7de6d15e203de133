// 报到 statistics charts (ECharts, vendored): the data comes from the page's JSON block, not inline script.
(function () {
  const el = document.getElementById("records-stats");
  if (!el || !window.echarts) return;
  const data = JSON.parse(el.textContent);
  const bar = (id, groups, series) => {
    const node = document.getElementById(id);
    const chart = echarts.init(node, null, { renderer: "canvas" });
    chart.setOption({
      animation: false,
      tooltip: { trigger: "axis" },
      legend: { top: 0 },
      grid: { left: 48, right: 16, top: 36, bottom: 80 },
      xAxis: { type: "category", data: groups, axisLabel: { rotate: 40, interval: 0 } },
      yAxis: { type: "value" },
      series: series.map(([name, values, stack]) => ({ name, type: "bar", data: values, stack })),
    });
    node.dataset.rendered = "true"; // browser tests wait for this
    window.addEventListener("resize", () => chart.resize());
  };
  const t = data.by_township;
  bar("chart-townships", t.map((r) => r.name), [
    ["基本", t.map((r) => r.basic), "part"],
    ["配合", t.map((r) => r.cooperative), "part"],
    ["收回", t.map((r) => r.taken_back), "part"],
    ["派错一方", t.map((r) => r.wrong_side), null],
    ["清单外", t.map((r) => r.unmatched), null],
  ]);
  const u = data.by_department.slice(0, 25);
  bar("chart-units", u.map((r) => r.name), [
    ["工单数", u.map((r) => r.total), null],
    ["派错一方", u.map((r) => r.wrong_side), null],
  ]);
})();
