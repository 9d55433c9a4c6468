// Simulation: subsidy per area, current rules vs what-if (ECharts from node_modules, no CDN).
(function () {
  "use strict";
  var el = document.getElementById("area-chart");
  var data = JSON.parse(document.getElementById("chart-data").textContent);
  if (!el || !window.echarts) return;
  var chart = window.echarts.init(el);
  chart.setOption({
    tooltip: { trigger: "axis" },
    legend: { data: ["现行规则", "模拟方案"] },
    grid: { left: 60, right: 20, top: 40, bottom: 40 },
    xAxis: { type: "category", data: data.areas, axisLabel: { interval: 0 } },
    yAxis: { type: "value", name: "万元" },
    series: [
      { name: "现行规则", type: "bar", data: data.current, itemStyle: { color: "#1b4f9c" } },
      { name: "模拟方案", type: "bar", data: data.changed, itemStyle: { color: "#d97706" } }
    ]
  });
  window.addEventListener("resize", function () { chart.resize(); });
})();
