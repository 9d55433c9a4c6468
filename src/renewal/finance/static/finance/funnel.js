// The funnel's monthly trend (融资对接, P12): amounts signed and disbursed (cumulative) and the
// outstanding balance at each month end in 万元, projects pushed on a second axis. ECharts from
// node_modules, no CDN.
(function () {
  "use strict";
  var el = document.getElementById("fin-trend");
  var node = document.getElementById("fin-trend-data");
  if (!el || !node || !window.echarts) return;
  var data = JSON.parse(node.textContent);
  var chart = window.echarts.init(el);
  var narrow = el.clientWidth < 560; // phones: the legend scrolls, the plot keeps its room
  chart.setOption({
    tooltip: { trigger: "axis" },
    legend: { type: narrow ? "scroll" : "plain", data: ["累计签约", "累计放款", "贷款余额", "已推送项目"] },
    grid: narrow ? { left: 56, right: 36, top: 56, bottom: 32 } : { left: 70, right: 50, top: 40, bottom: 40 },
    xAxis: { type: "category", data: data.months },
    yAxis: [
      { type: "value", name: "万元" },
      { type: "value", name: "个", minInterval: 1, splitLine: { show: false } }
    ],
    series: [
      { name: "累计签约", type: "line", data: data.signed, itemStyle: { color: "#1b4f9c" } },
      { name: "累计放款", type: "line", data: data.disbursed, itemStyle: { color: "#15803d" } },
      { name: "贷款余额", type: "line", data: data.outstanding, itemStyle: { color: "#d97706" } },
      { name: "已推送项目", type: "bar", yAxisIndex: 1, data: data.pushed, itemStyle: { color: "#94a3b8" }, barMaxWidth: 24 }
    ]
  });
  window.addEventListener("resize", function () { chart.resize(); });
})();
