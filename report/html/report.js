/* kvmaudit HTML report: findings filters.  Without script every finding
 * is listed and the filters stay hidden. */
(function () {
  "use strict";
  var form = document.getElementById("filters");
  var table = document.querySelector("table.results");
  if (!form || !table) return;
  var rows = Array.prototype.slice.call(table.tBodies[0].rows);
  var selects = Array.prototype.slice.call(form.querySelectorAll("select"));
  var shown = document.getElementById("shown");
  var empty = document.getElementById("none-shown");

  function apply() {
    var n = 0;
    rows.forEach(function (row) {
      var ok = selects.every(function (s) {
        var want = s.value;
        if (want === "") return true;
        var have = row.getAttribute("data-" + s.name) || "";
        if (s.name === "status" && want === "problems")
          return have === "fail" || have === "error";
        return have === want;
      });
      row.hidden = !ok;
      if (ok) n++;
    });
    shown.textContent = n + " of " + rows.length + " shown";
    if (empty) empty.hidden = n !== 0;
  }

  /* "report.html?status=fail&vm=web1" opens with those filters set, so a
   * view can be bookmarked or linked; unknown values are ignored. */
  var query = window.location.search.replace(/^\?/, "").split("&");
  query.forEach(function (kv) {
    var i = kv.indexOf("="), key, value;
    if (i < 0) return;
    try {
      key = decodeURIComponent(kv.slice(0, i));
      value = decodeURIComponent(kv.slice(i + 1).replace(/\+/g, " "));
    } catch (e) {
      return;
    }
    selects.forEach(function (s) {
      if (s.name !== key) return;
      for (var k = 0; k < s.options.length; k++)
        if (s.options[k].value === value) s.value = value;
    });
  });

  selects.forEach(function (s) { s.addEventListener("change", apply); });
  form.hidden = false;
  apply();

  /* Paper shows everything, opened; the screen view comes back after. */
  var saved = null;
  window.addEventListener("beforeprint", function () {
    saved = rows.map(function (row) {
      var d = row.querySelector("details");
      var was = { hidden: row.hidden, open: d ? d.open : false };
      row.hidden = false;
      if (d) d.open = true;
      return was;
    });
  });
  window.addEventListener("afterprint", function () {
    if (!saved) return;
    rows.forEach(function (row, i) {
      var d = row.querySelector("details");
      row.hidden = saved[i].hidden;
      if (d) d.open = saved[i].open;
    });
    saved = null;
  });
})();
