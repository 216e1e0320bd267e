// Draws the desk's charts with Apache ECharts (served from the package) from the desk's JSON API.
"use strict";

function coverageOption(data) {
  return {
    animation: false,
    tooltip: { trigger: "axis" },
    legend: { type: "scroll", top: 0 },
    grid: { top: 40, left: 40, right: 20, bottom: 30 },
    xAxis: { type: "category", data: data.days },
    yAxis: { type: "value", name: "articles", minInterval: 1 },
    series: data.series.map(function (s) { return { name: s.name, type: "bar", stack: "outlets", data: s.data }; }),
  };
}

function timelineOption(data) {
  return {
    animation: false,
    tooltip: { trigger: "axis", formatter: function (p) { return p[0].name + ": " + data.examples[p[0].dataIndex]; } },
    grid: { top: 20, left: 40, right: 20, bottom: 30 },
    xAxis: { type: "category", data: data.dates },
    yAxis: { type: "value", name: "statements", minInterval: 1 },
    series: [{ type: "line", data: data.counts, symbolSize: 8 }],
  };
}

document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("[data-chart]").forEach(function (element) {
    fetch(element.dataset.url, { credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        var chart = echarts.init(element);
        chart.setOption(element.dataset.chart === "timeline" ? timelineOption(data) : coverageOption(data));
        element.dataset.drawn = "true";
      });
  });
});
