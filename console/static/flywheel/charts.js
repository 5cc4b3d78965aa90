/* Draw every chart of the page with the local plotly.js; a click follows the point's link. */
(function () {
  function draw() {
    document.querySelectorAll("[data-chart]").forEach(function (holder) {
      var spec = JSON.parse(document.getElementById(holder.dataset.chart).textContent);
      Plotly.newPlot(holder, spec.data, spec.layout, { displayModeBar: false, responsive: true });
      holder.on("plotly_click", function (event) {
        var point = event.points && event.points[0];
        var url = point && point.customdata;
        if (Array.isArray(url)) { url = url[0]; }
        if (typeof url === "string" && url.charAt(0) === "/") { window.location.href = url; }
      });
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
