/* Cockpit charts (ECharts) and the sortable matrix. Data comes from json_script blocks; no inline
   scripts (Content-Security-Policy friendly). Re-initialised after every htmx swap. */
(function () {
  "use strict";
  var COLORS = { green: "#16a34a", yellow: "#e29a0b", red: "#d4252c", none: "#94a3b8" };
  var charts = [];

  function data(el) {
    var src = document.getElementById(el.getAttribute("data-source"));
    return src ? JSON.parse(src.textContent) : null;
  }
  function fmt(v) { return v == null ? "—" : (Math.round(v * 100) / 100).toLocaleString("zh-CN"); }

  function trend(el, d) {
    var series = [
      { name: "实际", type: "line", data: d.actual, symbolSize: 7, lineStyle: { width: 3 }, itemStyle: { color: "#1b4f9c" },
        areaStyle: { color: "rgba(27,79,156,.10)" }, connectNulls: false },
      { name: d.expected_label, type: "line", data: d.expected, symbol: "none", lineStyle: { width: 2, type: "dashed" }, itemStyle: { color: "#e29a0b" } },
      { name: "年末预测", type: "line", data: d.forecast, symbol: "emptyCircle", lineStyle: { width: 2, type: "dotted" }, itemStyle: { color: "#7c3aed" } }
    ];
    if (d.target != null) {
      series[0].markLine = { silent: true, symbol: "none", lineStyle: { color: "#d4252c" }, label: { formatter: "目标 " + fmt(d.target), position: "insideEndTop" }, data: [{ yAxis: d.target }] };
    }
    return {
      animationDuration: 400, grid: { left: 60, right: 24, top: 40, bottom: 30 },
      tooltip: { trigger: "axis", valueFormatter: function (v) { return fmt(v) + " " + d.unit; } },
      legend: { top: 0 }, xAxis: { type: "category", data: d.months, boundaryGap: false },
      yAxis: { type: "value", name: d.unit, scale: d.expected_label !== "序时进度", nameTextStyle: { align: "right" } }, series: series
    };
  }

  function ranking(el, d) {
    return {
      animationDuration: 400, grid: { left: 64, right: 50, top: 20, bottom: 24 },
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, formatter: function (p) {
        var i = p[0].dataIndex; return d.areas[i] + "<br>实际 " + d.actual[i] + "<br>完成率 " + fmt(d.completion[i]) + "%<br>应达 " + fmt(d.expected[i]) + "%"; } },
      xAxis: { type: "value", axisLabel: { formatter: "{value}%" } },
      yAxis: { type: "category", data: d.areas, inverse: true, axisLabel: { fontSize: 13 } },
      series: [
        { type: "bar", barWidth: "60%", data: d.completion.map(function (v, i) { return { value: v, itemStyle: { color: COLORS[d.status[i] || "none"], borderRadius: [0, 4, 4, 0] } }; }),
          label: { show: true, position: "right", formatter: function (p) { return p.value == null ? "—" : fmt(p.value) + "%"; } } },
        { type: "scatter", symbol: "rect", symbolSize: [4, 22], data: d.expected, itemStyle: { color: "#0f2d5c" }, name: "应达", z: 5 }
      ]
    };
  }

  function rankingSwitch(el, d) {
    var select = document.getElementById("rank-target");
    function draw() {
      var id = select.value, rows = d.values[id];
      var order = rows.map(function (r, i) { return i; }).sort(function (a, b) { return (rows[b].completion || -1) - (rows[a].completion || -1); });
      var pick = function (f) { return order.map(function (i) { var v = rows[i][f]; return (f === "completion" || f === "expected") && v != null ? v * 100 : v; }); };
      var chart = echarts.getInstanceByDom(el) || echarts.init(el);
      chart.setOption(ranking(el, { areas: order.map(function (i) { return d.areas[i]; }), completion: pick("completion"), expected: pick("expected"), status: pick("status"), actual: pick("actual") }), true);
      return chart;
    }
    select.onchange = draw;
    return draw();
  }

  function init(root) {
    charts.forEach(function (c) { if (!c.isDisposed()) { c.dispose(); } });
    charts = [];
    (root || document).querySelectorAll("[data-chart]").forEach(function (el) {
      var d = data(el); if (!d || !window.echarts) { return; }
      var kind = el.getAttribute("data-chart");
      if (kind === "ranking-switch") { charts.push(rankingSwitch(el, d)); return; }
      var chart = echarts.init(el);
      chart.setOption(kind === "trend" ? trend(el, d) : ranking(el, d));
      charts.push(chart);
    });
    document.querySelectorAll("table[data-sortable]").forEach(sortable);
  }

  function sortable(table) {
    table.querySelectorAll("th").forEach(function (th, col) {
      th.onclick = function () {
        var desc = !th.classList.contains("sorted-desc");
        table.querySelectorAll("th").forEach(function (h) { h.classList.remove("sorted-asc", "sorted-desc"); });
        th.classList.add(desc ? "sorted-desc" : "sorted-asc");
        var body = table.tBodies[0], rows = Array.prototype.slice.call(body.rows);
        var num = th.getAttribute("data-sort") === "num";
        rows.sort(function (a, b) {
          var x = a.cells[col], y = b.cells[col];
          var va = num ? parseFloat(x.getAttribute("data-v")) : x.textContent, vb = num ? parseFloat(y.getAttribute("data-v")) : y.textContent;
          var r = num ? va - vb : va.localeCompare(vb, "zh-CN");
          return desc ? -r : r;
        });
        rows.forEach(function (r) { body.appendChild(r); });
      };
    });
  }

  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
  document.addEventListener("DOMContentLoaded", function () { init(document); });
  document.addEventListener("htmx:afterSettle", function () { init(document); });
})();
