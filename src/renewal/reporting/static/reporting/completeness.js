// The completeness board's trend (issue 17): the city's on-time and reported rates per month.
// ECharts from node_modules (static/vendor), no CDN.
(function () {
  "use strict";
  if (!window.echarts) return;
  var node = document.getElementById("rp-trend-data");
  var el = document.getElementById("rp-trend");
  if (!node || !el) return;
  var d = JSON.parse(node.textContent);
  var narrow = el.clientWidth < 560;
  var c = window.echarts.init(el);
  c.setOption({
    tooltip: { trigger: "axis", valueFormatter: function (v) { return v == null ? "—" : v + "%"; } },
    legend: { data: ["及时率", "报送率"] },
    grid: narrow ? { left: 40, right: 16, top: 40, bottom: 56 } : { left: 56, right: 32, top: 40, bottom: 40 },
    xAxis: { type: "category", data: d.months, axisLabel: { rotate: narrow ? 40 : 0 } },
    yAxis: { type: "value", name: "%", min: 0, max: 100 },
    series: [
      { name: "及时率", type: "line", data: d.on_time, connectNulls: false, itemStyle: { color: "#1b4f9c" } },
      { name: "报送率", type: "line", data: d.reported, connectNulls: false, itemStyle: { color: "#15803d" }, lineStyle: { type: "dashed" } }
    ]
  });
  window.addEventListener("resize", function () { c.resize(); });
})();
