// 亩均评价 charts (P14): the city's comparison (shares of A and D per area, 亩均增加值 against G10)
// and an area's distribution by industry and class. ECharts from node_modules, no CDN.
(function () {
  "use strict";
  if (!window.echarts) return;
  var COLORS = { A: "#15803d", B: "#1b4f9c", C: "#d97706", D: "#b91c1c" };
  function data(id) { var n = document.getElementById(id); return n ? JSON.parse(n.textContent) : null; }
  function chart(id, option) {
    var el = document.getElementById(id);
    if (!el) return;
    var c = window.echarts.init(el);
    c.setOption(option);
    window.addEventListener("resize", function () { c.resize(); });
  }
  var cmp = data("mj-compare-data");
  if (cmp) {
    var narrow = document.getElementById("mj-compare").clientWidth < 560;
    var va = { name: "亩均增加值", type: "line", yAxisIndex: 1, data: cmp.va, itemStyle: { color: "#475569" } };
    if (cmp.target) va.markLine = { symbol: "none", lineStyle: { type: "dashed", color: "#b91c1c" }, label: { formatter: "G10 目标 " + cmp.target + " 万元/亩" }, data: [{ yAxis: cmp.target }] };
    chart("mj-compare", {
      tooltip: { trigger: "axis" },
      legend: { type: narrow ? "scroll" : "plain", data: ["A类占比", "D类占比", "亩均增加值"] },
      grid: narrow ? { left: 44, right: 50, top: 56, bottom: 56 } : { left: 60, right: 70, top: 44, bottom: 40 },
      xAxis: { type: "category", data: cmp.areas, axisLabel: { interval: 0, rotate: narrow ? 40 : 0 } },
      yAxis: [{ type: "value", name: "%", max: 100 }, { type: "value", name: "万元/亩", splitLine: { show: false } }],
      series: [
        { name: "A类占比", type: "bar", data: cmp.a, itemStyle: { color: COLORS.A }, barMaxWidth: 26 },
        { name: "D类占比", type: "bar", data: cmp.d, itemStyle: { color: COLORS.D }, barMaxWidth: 26 },
        va
      ]
    });
  }
  var dist = data("mj-dist-data");
  if (dist && dist.industries.length) {
    chart("mj-dist", {
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      legend: { data: ["A", "B", "C", "D"].map(function (k) { return k + "类"; }) },
      grid: { left: 120, right: 24, top: 40, bottom: 24 },
      xAxis: { type: "value", name: "家", minInterval: 1 },
      yAxis: { type: "category", data: dist.industries, inverse: true, axisLabel: { width: 110, overflow: "truncate" } },
      series: ["A", "B", "C", "D"].map(function (k) {
        return { name: k + "类", type: "bar", stack: "n", data: dist.series[k], itemStyle: { color: COLORS[k] } };
      })
    });
  }
})();
