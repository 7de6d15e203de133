// Charts of the pages after publication (ECharts, vendored): each reads its data from the page's JSON block.
(function () {
  const el = document.getElementById("chart-data");
  if (!el || !window.echarts) return;
  const data = JSON.parse(el.textContent);
  const draw = (id, option) => {
    const node = document.getElementById(id);
    if (!node) return;
    const chart = echarts.init(node, null, { renderer: "canvas" });
    chart.setOption(Object.assign({ animation: false, tooltip: { trigger: "axis" }, legend: { top: 0 },
      grid: { left: 48, right: 16, top: 36, bottom: 90 } }, option));
    node.dataset.rendered = "true"; // browser tests wait for this
    window.addEventListener("resize", () => chart.resize());
  };
  const axis = (names) => ({ type: "category", data: names, axisLabel: { rotate: 40, interval: 0 } });
  if (data.handover) {
    const d = data.handover;
    draw("chart-handover", {
      xAxis: axis(d.departments), yAxis: { type: "value" },
      series: d.series.map(([name, values]) => ({ name, type: "bar", stack: "s", data: values })),
    });
  }
  if (data.evaluation) {
    const d = data.evaluation;
    draw("chart-evaluation", {
      xAxis: axis(d.names), yAxis: { type: "value" },
      series: [{ name: "工单", type: "bar", stack: "u", data: d.records },
               { name: "任务", type: "bar", stack: "u", data: d.tasks }],
    });
  }
  if (data.ratings) {
    const d = data.ratings;
    draw("chart-ratings", {
      xAxis: axis(d.units), yAxis: { type: "value", min: 0, max: 5 },
      series: [{ name: "报到及时", type: "bar", data: d.reporting }, { name: "配合履职", type: "bar", data: d.cooperation }],
    });
  }
})();
