/* multivector dashboard: small SVG charts with hover values and click-to-drill-down.
 * No dependencies, no network beyond this origin. Text from the store is only ever set
 * through textContent, never parsed as HTML. */
(function () {
  "use strict";
  var SVGNS = "http://www.w3.org/2000/svg";
  var COLORS = ["#1f6fb2", "#c0392b", "#2e8b57", "#8e44ad", "#d68910", "#17a2b8", "#6d4c41", "#7f8c8d"];

  function readData() {
    var node = document.getElementById("page-data");
    if (!node) return null;
    try { return JSON.parse(node.textContent); } catch (e) { return null; }
  }

  function svg(name, attrs, parent) {
    var node = document.createElementNS(SVGNS, name);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, String(attrs[k])); });
    if (parent) parent.appendChild(node);
    return node;
  }

  function html(tag, text, cls, parent) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (cls) node.className = cls;
    if (parent) parent.appendChild(node);
    return node;
  }

  function isNum(x) { return typeof x === "number" && isFinite(x); }

  function fmt(x, digits) {
    if (!isNum(x)) return "–";
    var d = digits === undefined ? 2 : digits;
    return (Math.abs(x) >= 1000 ? Math.round(x).toString() : x.toFixed(d));
  }

  /* ---------------------------------------------------------------- tooltip */
  var tip = document.getElementById("tooltip");
  function showTip(lines, target) {
    if (!tip) return;
    tip.textContent = "";
    lines.forEach(function (line, i) { html(i === 0 ? "strong" : "div", line, null, tip); });
    tip.hidden = false;
    var r = target.getBoundingClientRect();
    var left = window.scrollX + r.left + r.width / 2 - tip.offsetWidth / 2;
    left = Math.max(window.scrollX + 4, Math.min(left, window.scrollX + document.documentElement.clientWidth - tip.offsetWidth - 4));
    tip.style.left = left + "px";
    tip.style.top = (window.scrollY + r.top - tip.offsetHeight - 8) + "px";
  }
  function hideTip() { if (tip) tip.hidden = true; }

  /* ------------------------------------------------------------------ chart */
  function ticks(lo, hi, n) {
    if (!(hi > lo)) return [lo];
    var raw = (hi - lo) / n, mag = Math.pow(10, Math.floor(Math.log10(raw)));
    var step = [1, 2, 2.5, 5, 10].map(function (m) { return m * mag; }).find(function (s) { return s >= raw; });
    var out = [];
    for (var v = Math.ceil(lo / step) * step; v <= hi + 1e-9 * step; v += step) out.push(Math.round(v * 1e10) / 1e10);
    return out;
  }

  function runs(ok) {
    var out = [], start = -1;
    for (var i = 0; i <= ok.length; i++) {
      if (i < ok.length && ok[i]) { if (start < 0) start = i; }
      else if (start >= 0) { out.push([start, i - 1]); start = -1; }
    }
    return out;
  }

  /* spec: {periods, series: [{name, values, lo, hi, n}], unit, digits, yMin, yMax, onPick(si, pi)} */
  function drawChart(container, spec) {
    container.textContent = "";
    container._spec = spec;
    // Drawn at the container's own width, so text keeps its size on every screen.
    var W = Math.max(280, Math.min(1400, Math.round(container.clientWidth || 640))),
        H = W < 500 ? 200 : 240, L = 44, R = 26, T = 12, B = 34;
    var periods = spec.periods || [];
    var series = (spec.series || []).filter(function (s) { return s.values && s.values.some(isNum); });
    if (!periods.length || !series.length) {
      html("p", "No data for these filters.", "empty", container);
      return;
    }
    var all = [];
    series.forEach(function (s) {
      [s.values, s.lo || [], s.hi || []].forEach(function (xs) { xs.forEach(function (x) { if (isNum(x)) all.push(x); }); });
    });
    var lo = Math.min.apply(null, all.concat(isNum(spec.yMin) ? [spec.yMin] : [])),
        hi = Math.max.apply(null, all.concat(isNum(spec.yMax) ? [spec.yMax] : []));
    if (spec.zero !== false) { lo = Math.min(lo, 0); hi = Math.max(hi, 0); }
    if (hi === lo) { hi += 1; lo -= spec.zero === false ? 1 : 0; }
    var pad = (hi - lo) * 0.05; hi += pad; if (lo < 0 || spec.zero === false) lo -= pad;
    var pw = W - L - R, ph = H - T - B, n = periods.length;
    function x(i) { return L + (n === 1 ? pw / 2 : (i * pw) / (n - 1)); }
    function y(v) { return T + ph - ((v - lo) / (hi - lo)) * ph; }

    var root = svg("svg", { viewBox: "0 0 " + W + " " + H, role: "img", class: "chart-svg",
                            "aria-label": spec.label || "chart" }, container);
    ticks(lo, hi, 4).forEach(function (t) {
      svg("line", { x1: L, x2: W - R, y1: y(t), y2: y(t), class: t === 0 ? "zero" : "grid" }, root);
      var label = svg("text", { x: L - 6, y: y(t) + 4, "text-anchor": "end", class: "axis" }, root);
      label.textContent = fmt(t, Math.abs(hi - lo) < 5 ? 2 : 0);
    });
    var every = Math.max(1, Math.ceil(n / Math.max(2, Math.floor(W / 80))));
    periods.forEach(function (p, i) {
      if (i !== n - 1 && (i % every || n - 1 - i < every)) return;
      var anchor = n > 1 && i === n - 1 ? "end" : (n > 1 && i === 0 ? "start" : "middle");
      var label = svg("text", { x: x(i), y: H - B + 16, "text-anchor": anchor, class: "axis" }, root);
      label.textContent = p.length >= 7 ? p.slice(0, 7) : p;
    });

    series.forEach(function (s, si) {
      var color = COLORS[(s.color === undefined ? si : s.color) % COLORS.length];
      var lows = s.lo || [], highs = s.hi || [];
      runs(periods.map(function (_, i) { return isNum(lows[i]) && isNum(highs[i]); })).forEach(function (r) {
        var top = [], bottom = [];
        for (var i = r[0]; i <= r[1]; i++) { top.push(x(i) + "," + y(highs[i])); bottom.unshift(x(i) + "," + y(lows[i])); }
        if (r[0] === r[1]) { top.push((x(r[0]) + 0.5) + "," + y(highs[r[0]])); bottom.unshift((x(r[0]) + 0.5) + "," + y(lows[r[0]])); }
        svg("polygon", { points: top.concat(bottom).join(" "), fill: color, "fill-opacity": 0.13, class: "band" }, root);
      });
      runs(s.values.map(isNum)).forEach(function (r) {
        var pts = [];
        for (var i = r[0]; i <= r[1]; i++) pts.push(x(i) + "," + y(s.values[i]));
        svg("polyline", { points: pts.join(" "), fill: "none", stroke: color, "stroke-width": 2, class: "line" }, root);
      });
      s.values.forEach(function (v, i) {
        if (!isNum(v)) return;
        var dot = svg("circle", { cx: x(i), cy: y(v), r: 5, fill: color, class: "pt", tabindex: 0,
                                  role: "button", "data-series": s.name, "data-period": periods[i],
                                  "aria-label": s.name + " " + periods[i] + ": " + fmt(v, spec.digits) }, root);
        var lines = [s.name + " · " + periods[i], (spec.unit || "value") + ": " + fmt(v, spec.digits)];
        if (isNum(lows[i]) && isNum(highs[i])) lines.push("95% interval: " + fmt(lows[i], spec.digits) + " to " + fmt(highs[i], spec.digits));
        if (s.n && isNum(s.n[i])) lines.push(s.n[i] + " events · click to list them");
        else lines.push("click to list the events");
        function pick() { hideTip(); if (spec.onPick) spec.onPick(s, i); }
        dot.addEventListener("mouseenter", function () { showTip(lines, dot); });
        dot.addEventListener("focus", function () { showTip(lines, dot); });
        dot.addEventListener("mouseleave", hideTip);
        dot.addEventListener("blur", hideTip);
        dot.addEventListener("click", pick);
        dot.addEventListener("keydown", function (ev) { if (ev.key === "Enter" || ev.key === " ") { ev.preventDefault(); pick(); } });
      });
    });
    if (series.length > 1 || spec.legend) {
      var legend = html("div", null, "legend", container);
      series.forEach(function (s, si) {
        var item = html("span", null, "legend-item", legend);
        var sw = svg("svg", { width: 12, height: 12, "aria-hidden": "true" }, item);
        svg("rect", { width: 12, height: 12, fill: COLORS[(s.color === undefined ? si : s.color) % COLORS.length] }, sw);
        html("span", " " + s.name, null, item);
      });
    }
  }

  /* ------------------------------------------------------------- drill-down */
  function showEvents(title, events, note) {
    var list = document.getElementById("drill-list");
    var head = document.getElementById("drill-title");
    var hint = document.getElementById("drill-hint");
    if (!list) return;
    list.textContent = "";
    if (head) head.textContent = title;
    if (hint) hint.textContent = note || (events.length ? events.length + " events, strongest first." : "No events behind this point.");
    events.forEach(function (e) {
      var li = html("li", null, "drill-item", list);
      var a = html("a", (e.date || "undated") + " · " + (e.event_type || "event"), "event-link", li);
      a.href = "/event/" + encodeURIComponent(e.event_id);
      var who = [e.actors, e.recipients].filter(Boolean).join(" → ");
      if (who) html("span", " " + who, "who", li);
      if (e.evidence) html("blockquote", e.evidence, "evidence", li);
      var src = [e.source, e.title].filter(Boolean).join(" · ");
      if (src) html("small", src, null, li);
    });
    var section = document.getElementById("drill");
    if (section && section.scrollIntoView) section.scrollIntoView({ block: "nearest" });
  }

  function reportEvent(id, lookup) {
    var e = lookup[id] || { event_id: id };
    var parts = e.participants || [];
    function side(role) {
      return parts.filter(function (p) { return p.role === role; })
        .map(function (p) { return p.code + (p.sector === "PRE" || p.sector === "REB" ? "*" : ""); }).join("+");
    }
    var doc = e.document || {};
    return { event_id: id, date: e.date, event_type: e.event_type, actors: side("actor"),
             recipients: side("recipient"), evidence: e.evidence, source: doc.source, title: doc.title };
  }

  function queryString(q) {
    return Object.keys(q || {}).map(function (k) { return encodeURIComponent(k) + "=" + encodeURIComponent(q[k]); }).join("&");
  }

  /* ------------------------------------------------------------------ pages */
  function countryPage(d) {
    var powers = d.powers.map(function (p) { return p.name; });
    var points = d.points || {}, lookup = d.events || {};
    function idsFor(keys, period) {
      var seen = {}, out = [];
      keys.forEach(function (k) { ((points[k] || {})[period] || []).forEach(function (id) { if (!seen[id]) { seen[id] = 1; out.push(id); } }); });
      return out;
    }
    function list(title, ids) { showEvents(title, ids.map(function (id) { return reportEvent(id, lookup); })); }
    var align = document.getElementById("chart-alignment");
    if (align) drawChart(align, {
      periods: d.periods, unit: "alignment", label: "alignment with each power",
      series: powers.map(function (p, i) {
        var s = d.series[p];
        return { name: p, color: i, values: s.alignment, lo: s.alignment_lo, hi: s.alignment_hi, n: s.events };
      }),
      onPick: function (s, i) { list(d.country + "–" + s.name + " · " + d.periods[i], idsFor([s.name], d.periods[i])); }
    });
    var bal = document.getElementById("chart-balance");
    if (bal) drawChart(bal, {
      periods: d.periods, unit: "balance", label: "multi-vector balance", yMin: 0, yMax: 1, legend: false,
      series: [{ name: "balance", values: d.balance.balance, lo: d.balance.balance_lo, hi: d.balance.balance_hi }],
      onPick: function (s, i) { list("Cooperation with the powers · " + d.periods[i], idsFor(powers, d.periods[i])); }
    });
    var cov = document.getElementById("chart-coverage");
    if (cov) drawChart(cov, {
      periods: d.periods, unit: "events", digits: 0, label: "coverage",
      series: [{ name: d.country, values: d.coverage, n: d.coverage }],
      onPick: function (s, i) { list(d.country + " with the powers · " + d.periods[i], idsFor(powers, d.periods[i])); }
    });
  }

  function dyadPage(d) {
    var s = d.series;
    var base = "/api/dyad/" + encodeURIComponent(s.a) + "/" + encodeURIComponent(s.b) + "/events?";
    function pick(_, i) {
      var period = s.periods[i];
      var title = s.a + "–" + s.b + " · " + period;
      showEvents(title, [], "Loading…");
      var qs = queryString(d.query);
      fetch(base + "period=" + encodeURIComponent(period) + (qs ? "&" + qs : ""), { headers: { Accept: "application/json" } })
        .then(function (r) { return r.json().then(function (body) { return { ok: r.ok, body: body }; }); })
        .then(function (res) {
          if (!res.ok) { showEvents(title, [], (res.body.error || {}).message || "error"); return; }
          showEvents(title, res.body.events);
        })
        .catch(function () { showEvents(title, [], "The server did not answer."); });
    }
    var net = document.getElementById("chart-net");
    if (net) drawChart(net, { periods: s.periods, unit: "net cooperation", digits: 1, label: "net cooperation",
      series: [{ name: s.a + "–" + s.b, values: s.net_cooperation, lo: s.net_cooperation_lo, hi: s.net_cooperation_hi, n: s.events }], onPick: pick });
    var ev = document.getElementById("chart-events");
    if (ev) drawChart(ev, { periods: s.periods, unit: "events", digits: 0, label: "events",
      series: [{ name: s.a + "–" + s.b, values: s.events, n: s.events, color: 2 }], onPick: pick });
    var cs = document.getElementById("chart-conflict");
    if (cs) drawChart(cs, { periods: s.periods, unit: "conflict share", yMin: 0, yMax: 1, label: "conflict share",
      series: [{ name: s.a + "–" + s.b, values: s.conflict_share, lo: s.conflict_share_lo, hi: s.conflict_share_hi, n: s.events, color: 1 }], onPick: pick });
  }

  function ingestPage() {
    var form = document.getElementById("ingest-form");
    if (!form) return;
    var box = document.getElementById("job"), bar = document.getElementById("job-progress"),
        status = document.getElementById("job-status"), idBox = document.getElementById("job-id"),
        problems = document.getElementById("job-problems");
    function render(job) {
      box.hidden = false;
      idBox.textContent = job.job_id.slice(0, 8);
      bar.value = job.progress;
      status.textContent = job.state + ": " + job.seen + " of " + job.total + " documents, " +
        job.coded + " coded, " + job.skipped + " already stored, " + job.failed + " failed, " +
        job.events + " events" + (job.error ? " — " + job.error : "");
      status.setAttribute("data-state", job.state);
      problems.textContent = "";
      (job.problems || []).concat((job.failures || []).map(function (f) { return f.doc_id + ": " + f.error; }))
        .forEach(function (p) { html("li", p, null, problems); });
    }
    function poll(id) {
      fetch("/api/ingest/" + encodeURIComponent(id)).then(function (r) { return r.json(); }).then(function (job) {
        if (job.error && !job.job_id) { status.textContent = job.error.message; return; }
        render(job);
        if (job.state !== "done" && job.state !== "failed") setTimeout(function () { poll(id); }, 400);
      }).catch(function () { setTimeout(function () { poll(id); }, 1500); });
    }
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      box.hidden = false; bar.removeAttribute("value"); status.textContent = "Uploading…"; problems.textContent = "";
      status.removeAttribute("data-state");
      fetch("/api/ingest", { method: "POST", body: new FormData(form) })
        .then(function (r) { return r.json().then(function (body) { return { ok: r.ok, body: body }; }); })
        .then(function (res) {
          if (!res.ok) { bar.value = 0; status.textContent = "Refused: " + ((res.body.error || {}).message || "error"); status.setAttribute("data-state", "refused"); return; }
          render(res.body); poll(res.body.job_id);
        })
        .catch(function () { status.textContent = "The server did not answer."; });
    });
  }

  /* Drop empty filter fields so the URL holds only what was chosen. */
  function tidyForms() {
    Array.prototype.forEach.call(document.querySelectorAll("form.filters"), function (form) {
      form.addEventListener("submit", function () {
        Array.prototype.forEach.call(form.elements, function (f) {
          if (f.name && f.value === "" ) f.disabled = true;
          if (f.name === "granularity" && f.value === "month") f.disabled = true;
        });
      });
    });
  }

  function redrawOnResize() {
    var width = window.innerWidth, timer = null;
    window.addEventListener("resize", function () {
      if (timer) clearTimeout(timer);
      timer = setTimeout(function () {
        if (window.innerWidth === width) return;
        width = window.innerWidth;
        Array.prototype.forEach.call(document.querySelectorAll(".chart"), function (c) {
          if (c._spec) drawChart(c, c._spec);
        });
      }, 150);
    });
  }

  function main() {
    var page = document.body.getAttribute("data-page");
    var d = readData();
    tidyForms();
    redrawOnResize();
    if (page === "country" && d) countryPage(d);
    else if (page === "dyad" && d) dyadPage(d);
    else if (page === "ingest") ingestPage();
    document.documentElement.setAttribute("data-ready", "1");
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", main);
  else main();
})();
