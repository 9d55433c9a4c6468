// Rank of every area by month (rank 1 at the top). Data from the page's json_script.
(function () {
  var el = document.getElementById("rank-chart");
  var data = JSON.parse(document.getElementById("rank-data").textContent);
  if (!el || !window.echarts) return;
  var chart = echarts.init(el);
  chart.setOption({
    tooltip: { trigger: "axis" },
    legend: { top: 0 },
    grid: { left: 40, right: 20, top: 40, bottom: 30 },
    xAxis: { type: "category", data: data.months },
    yAxis: { type: "value", inverse: true, min: 1, max: data.series.length, interval: 1, name: "名次" },
    series: data.series.map(function (s) {
      return { name: s.name, type: "line", data: s.ranks, smooth: false, symbolSize: 6 };
    }),
  });
  window.addEventListener("resize", function () { chart.resize(); });
})();
