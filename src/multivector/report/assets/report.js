(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("mv-data").textContent);
  var panel = document.getElementById("drill-body");
  var title = document.getElementById("drill-title");

  function idsFor(key, period) {
    if (key === "*") {
      var seen = {}, out = [];
      data.powers.forEach(function (p) {
        ((data.points[p] || {})[period] || []).forEach(function (id) {
          if (!seen[id]) { seen[id] = true; out.push(id); }
        });
      });
      return out;
    }
    return (data.points[key] || {})[period] || [];
  }

  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    if (cls) { e.className = cls; }
    return e;
  }

  function participants(ev) {
    return (ev.participants || []).map(function (p) {
      return p.role + ": " + p.code + (p.sector ? "/" + p.sector : "") + (p.text ? " (" + p.text + ")" : "");
    }).join("; ");
  }

  function show(key, period, label) {
    var ids = idsFor(key, period);
    title.textContent = label + " \u2014 " + ids.length + " event" + (ids.length === 1 ? "" : "s");
    panel.textContent = "";
    if (!ids.length) { panel.appendChild(el("p", "No events behind this point.", "muted")); return; }
    var list = el("ol");
    ids.forEach(function (id) {
      var ev = data.events[id] || {event_id: id};
      var li = el("li");
      var head = el("div");
      head.appendChild(el("span", ev.event_type || "?", "tag q" + (data.quads[ev.event_type] || "")));
      head.appendChild(document.createTextNode(" " + (ev.date || "") + " \u00b7 " +
        (ev.factuality || "") + " \u00b7 score " + (ev.score === undefined ? "" : ev.score)));
      li.appendChild(head);
      li.appendChild(el("div", participants(ev), "muted"));
      if (ev.evidence) { li.appendChild(el("blockquote", ev.evidence)); }
      if (ev.cited && ev.cited.length) {
        li.appendChild(el("div", "Cited: " + ev.cited.map(function (c) {
          return c.outlet + (c.date ? " (" + c.date + ")" : "");
        }).join("; "), "muted"));
      }
      var doc = ev.document || {};
      var line = el("div");
      var name = doc.title || doc.doc_id || ev.doc_id || "";
      if (doc.url && /^https?:\/\//i.test(doc.url)) {
        var a = el("a", name);
        a.href = doc.url; a.target = "_blank"; a.rel = "noopener noreferrer";
        line.appendChild(a);
      } else {
        line.appendChild(el("span", name));
      }
      if (doc.source || doc.published) {
        line.appendChild(document.createTextNode(" \u2014 " + (doc.source || "") + " " + (doc.published || "")));
      }
      li.appendChild(line);
      list.appendChild(li);
    });
    panel.appendChild(list);
  }

  function activate(target) {
    var t = target.closest ? target.closest("[data-key]") : null;
    if (t) { show(t.getAttribute("data-key"), t.getAttribute("data-period"), t.getAttribute("data-label") || ""); }
  }
  document.addEventListener("click", function (e) { activate(e.target); });
  document.addEventListener("keydown", function (e) {
    if (e.key === "Enter" || e.key === " ") { activate(e.target); }
  });
})();
