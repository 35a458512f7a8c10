/* doclint report: renders the findings payload a page at a time.
   Corpus text only ever becomes text nodes (textContent / createTextNode), never markup. */
(function () {
  "use strict";
  var DATA = JSON.parse(document.getElementById("doclint-data").textContent);
  var FINDINGS = DATA.findings, FILES = DATA.files, DUPS = DATA.dups, RANK = DATA.severity_rank;
  var CATEGORIES = ["duplicate", "truncation", "boilerplate", "formatting", "structure"];
  var PAGE = 50, DUP_PAGE = 10, FILE_ROWS = 100;
  var VIEWS = ["overview", "findings", "duplicates", "files", "file", "rules"];
  var FILTER_KEYS = ["category", "severity", "rule", "file", "q", "sort"];

  // Derived once: what search looks at, and per-file severity counts.
  FINDINGS.forEach(function (f) {
    f.path = FILES[f.file].path;
    f.hay = (f.rule + " " + f.name + " " + f.cat + " " + f.sev + " " + f.path + " " + f.msg).toLowerCase();
    f.sim = -1;
    (f.rel || []).forEach(function (r) {
      f.hay += " " + r[0].toLowerCase();
      if (r[3] !== null && r[3] > f.sim) { f.sim = r[3]; }
    });
  });
  FILES.forEach(function (file) { file.sev = { error: 0, warning: 0, info: 0 }; file.items = []; });
  FINDINGS.forEach(function (f) { FILES[f.file].sev[f.sev] += 1; FILES[f.file].items.push(f); });

  function el(tag, attrs) {
    var node = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (k) {
        if (attrs[k] !== null && attrs[k] !== undefined && attrs[k] !== false) { node.setAttribute(k, attrs[k]); }
      });
    }
    for (var i = 2; i < arguments.length; i++) { append(node, arguments[i]); }
    return node;
  }
  function append(node, child) {
    if (child === null || child === undefined) { return; }
    if (Array.isArray(child)) { child.forEach(function (c) { append(node, c); }); return; }
    node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
  }
  function fmt(n) { return n.toLocaleString("en-US"); }
  function pct(x) { return Math.round(x * 100) + "%"; }
  function href(view, params) {
    var q = new URLSearchParams();
    Object.keys(params || {}).forEach(function (k) { if (params[k]) { q.set(k, params[k]); } });
    var s = q.toString();
    return "#" + view + (s ? "?" + s : "");
  }
  function span(f) { return f.start === f.end ? String(f.start) : f.start + "\u2013" + f.end; }

  // -- one finding --------------------------------------------------------------------

  function lineRow(n, text, f) {
    var hit = n >= f.start && n <= f.end;
    var tx = el("span", { "class": "tx" });
    if (text === undefined) { text = ""; }
    if (hit && text.length) {
      var a = (n === f.start && f.sc) ? Math.min(f.sc - 1, text.length) : 0;
      var b = (n === f.end && f.ec) ? Math.min(Math.max(f.ec - 1, a), text.length) : text.length;
      append(tx, [text.slice(0, a), el("mark", { "class": "span" }, text.slice(a, b)), text.slice(b)]);
    } else {
      tx.textContent = text;
    }
    return el("div", { "class": hit ? "ln hit" : "ln" }, el("span", { "class": "no" }, String(n)), tx);
  }

  function excerpt(f) {
    var file = FILES[f.file];
    if (!f.ex.length) {
      return el("p", { "class": "noexcerpt" }, file.readable
        ? "No excerpt: the lines are not in the file any more."
        : "No excerpt: " + file.path + " could not be read when the report was made.");
    }
    var box = el("div", { "class": "excerpt" }), prev = null;
    f.ex.forEach(function (w) {
      if (prev !== null) { box.appendChild(el("div", { "class": "gap" }, "\u22ef " + fmt(w[0] - prev - 1) + " more lines of the span \u22ef")); }
      for (var n = w[0]; n <= w[1]; n++) { box.appendChild(lineRow(n, file.lines[n], f)); }
      prev = w[1];
    });
    return box;
  }

  function compare(d) {
    var wrap = el("div", { "class": "compare-wrap" },
      el("p", { "class": "legend" }, el("mark", { "class": "shared" }, "highlighted"), d.copies.length > 2 ? " words are the ones each copy shares with the first; unmarked words differ." : " words are shared by both copies; unmarked words differ."));
    var box = el("div", { "class": "compare", "data-copies": String(d.copies.length) });
    wrap.appendChild(box);
    d.copies.forEach(function (c, k) {
      var head = el("h4", null,
        el("span", null, k === 0 ? "This copy" : "Copy " + (k + 1)),
        el("a", { "class": "path", href: href("file", { path: c.path }) }, c.path + ":" + c.start + "\u2013" + c.end));
      if (c.sim !== null) { head.appendChild(el("span", { "class": "sim" }, pct(c.sim) + " similar")); }
      if (c.aligned !== null) { head.appendChild(el("span", { "class": "muted" }, pct(c.aligned) + " of words aligned")); }
      var body = el("div", { "class": "copy-body" });
      if (c.rows === null) {
        body.appendChild(el("p", { "class": "noexcerpt" }, "Text not available: " + c.path + " could not be read."));
      } else {
        c.rows.forEach(function (row) {
          var tx = el("span", { "class": "tx" });
          row[1].forEach(function (seg, i) {
            if (!seg) { return; }
            append(tx, i % 2 ? el("mark", { "class": "shared" }, seg) : seg);
          });
          body.appendChild(el("div", { "class": "ln" }, el("span", { "class": "no" }, String(row[0])), tx));
        });
      }
      var copy = el("section", { "class": "copy", "data-path": c.path }, head, body);
      if (c.more) { copy.appendChild(el("p", { "class": "more" }, fmt(c.more) + " more lines not shown")); }
      box.appendChild(copy);
    });
    return wrap;
  }

  function card(f, opts) {
    var head = el("header", null,
      el("span", { "class": "sev-badge" }, f.sev),
      el("a", { "class": "rule", href: href("rules", { code: f.rule }), title: "Rule documentation" }, f.rule, el("span", { "class": "slug" }, f.name)),
      el("span", { "class": "cat-tag cat-" + f.cat }, f.cat),
      el("a", { "class": "loc path", href: href("file", { path: f.path }) + "", title: "All findings of this file" }, f.path + ":" + span(f)));
    // In the duplicates view the copies are open side by side, so the excerpt would repeat them.
    var open = !!(opts && opts.open && f.dup !== undefined);
    var node = el("article", { "class": "finding sev-" + f.sev, id: "finding-" + f.id, "data-rule": f.rule, "data-cat": f.cat },
      head, el("p", { "class": "msg" }, f.msg), open ? null : excerpt(f));
    if (f.rel) {
      var rel = el("div", { "class": "related" });
      rel.appendChild(el("span", null, f.rel.length === 1 ? "Other copy:" : "Other copies (" + f.rel.length + "):"));
      f.rel.forEach(function (r) {
        rel.appendChild(el("a", { "class": "path", href: href("file", { path: r[0] }) }, r[0] + ":" + r[1] + "\u2013" + r[2]));
        if (r[3] !== null) { rel.appendChild(el("span", { "class": "sim" }, pct(r[3]))); }
      });
      if (f.dup !== undefined) {
        var holder = el("div", { "class": "compare-holder" });
        var btn = el("button", { type: "button", "class": "compare-toggle", "aria-expanded": "false" }, "Compare side by side");
        btn.addEventListener("click", function () {
          var open = btn.getAttribute("aria-expanded") === "true";
          holder.textContent = "";
          if (!open) { holder.appendChild(compare(DUPS[f.dup])); }
          btn.setAttribute("aria-expanded", open ? "false" : "true");
          btn.textContent = open ? "Compare side by side" : "Hide comparison";
        });
        rel.appendChild(btn);
        node.appendChild(rel);
        node.appendChild(holder);
        if (open) { btn.click(); }
      } else {
        node.appendChild(rel);
      }
    }
    return node;
  }

  // -- paging --------------------------------------------------------------------------

  function pager(nav, page, pages, go) {
    nav.textContent = "";
    if (pages <= 1) { return; }
    var prev = el("button", { type: "button", "data-page": "prev" }, "\u2190 Previous");
    var next = el("button", { type: "button", "data-page": "next" }, "Next \u2192");
    prev.disabled = page <= 1; next.disabled = page >= pages;
    prev.addEventListener("click", function () { go(page - 1); });
    next.addEventListener("click", function () { go(page + 1); });
    append(nav, [prev, el("span", { "class": "where" }, "page " + page + " of " + fmt(pages)), next]);
  }
  function clampPage(p, pages) { p = parseInt(p, 10) || 1; return Math.min(Math.max(1, p), Math.max(1, pages)); }

  // -- findings view -------------------------------------------------------------------

  var form = document.getElementById("filters");
  var state = {};
  var SORTS = {
    location: function (a, b) { return a.id - b.id; },
    severity: function (a, b) { return (RANK[b.sev] - RANK[a.sev]) || (a.id - b.id); },
    rule: function (a, b) { return a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : a.id - b.id; },
    category: function (a, b) { return (CATEGORIES.indexOf(a.cat) - CATEGORIES.indexOf(b.cat)) || (a.id - b.id); },
    similarity: function (a, b) { return (b.sim - a.sim) || (a.id - b.id); }
  };

  function filtered(s) {
    var terms = (s.q || "").toLowerCase().split(/\s+/).filter(Boolean);
    var fileIdx = -1;
    if (s.file) { fileIdx = FILES.findIndex(function (x) { return x.path === s.file; }); if (fileIdx < 0) { return []; } }
    var out = FINDINGS.filter(function (f) {
      if (s.category && f.cat !== s.category) { return false; }
      if (s.severity && f.sev !== s.severity) { return false; }
      if (s.rule && f.rule !== s.rule) { return false; }
      if (fileIdx >= 0 && f.file !== fileIdx) { return false; }
      for (var i = 0; i < terms.length; i++) { if (f.hay.indexOf(terms[i]) < 0) { return false; } }
      return true;
    });
    if (s.sort && s.sort !== "location" && SORTS[s.sort]) { out.sort(SORTS[s.sort]); }
    return out;
  }

  function readForm() {
    var s = {};
    FILTER_KEYS.forEach(function (k) { var v = form.elements[k].value; if (v && !(k === "sort" && v === "location")) { s[k] = v; } });
    return s;
  }
  function writeForm(s) {
    FILTER_KEYS.forEach(function (k) {
      var field = form.elements[k], v = s[k] || (k === "sort" ? "location" : "");
      if (field.tagName === "SELECT" && v && !Array.prototype.some.call(field.options, function (o) { return o.value === v; })) {
        field.appendChild(el("option", { value: v }, v + " (0)"));
      }
      field.value = v;
      if (field.tagName === "SELECT") { field.classList.toggle("set", k !== "sort" && !!v); }
    });
  }

  function renderFindings(params) {
    state = {};
    FILTER_KEYS.forEach(function (k) { if (params.get(k)) { state[k] = params.get(k); } });
    writeForm(state);
    var rows = filtered(state);
    var pages = Math.ceil(rows.length / PAGE);
    var page = clampPage(params.get("page"), pages);
    var first = (page - 1) * PAGE;
    var list = document.getElementById("findings-list");
    list.textContent = "";
    rows.slice(first, first + PAGE).forEach(function (f) { list.appendChild(card(f)); });
    var count = document.getElementById("findings-count");
    count.textContent = "";
    count.setAttribute("data-count", String(rows.length));
    var narrowed = rows.length !== FINDINGS.length;
    append(count, rows.length
      ? ["Showing ", el("strong", null, fmt(first + 1) + "\u2013" + fmt(first + Math.min(PAGE, rows.length - first))),
         " of ", el("strong", { "class": "matched" }, fmt(rows.length)), rows.length === 1 ? " finding" : " findings",
         narrowed ? " (filtered from " + fmt(FINDINGS.length) + ")" : ""]
      : ["No findings match these filters", narrowed ? " (" + fmt(FINDINGS.length) + " in the report)." : "."]);
    pager(document.getElementById("findings-pager"), page, pages, function (p) {
      go("findings", Object.assign({}, state, { page: p }), true);
    });
  }

  var searchTimer = null;
  form.addEventListener("change", function (e) {
    if (e.target.name !== "q") { go("findings", readForm(), false); }
  });
  form.addEventListener("input", function (e) {
    if (e.target.name !== "q") { return; }
    clearTimeout(searchTimer);
    searchTimer = setTimeout(function () { go("findings", readForm(), false); }, 150);
  });
  form.addEventListener("submit", function (e) { e.preventDefault(); go("findings", readForm(), false); });
  document.getElementById("reset").addEventListener("click", function () { go("findings", {}, false); });

  // -- duplicates view -----------------------------------------------------------------

  var dupForm = document.getElementById("dup-filters");
  function renderDups(params) {
    var q = params.get("q") || "";
    dupForm.elements.q.value = q;
    var terms = q.toLowerCase().split(/\s+/).filter(Boolean);
    // Every finding with related spans can be compared; this view lists the duplicate rules' ones.
    var rows = DUPS.map(function (d) { return FINDINGS[d.finding]; }).filter(function (f) {
      return f.cat === "duplicate" && terms.every(function (t) { return f.hay.indexOf(t) >= 0; });
    }).sort(SORTS.similarity);
    var pages = Math.ceil(rows.length / DUP_PAGE), page = clampPage(params.get("page"), pages);
    var list = document.getElementById("dups-list");
    list.textContent = "";
    rows.slice((page - 1) * DUP_PAGE, page * DUP_PAGE).forEach(function (f) { list.appendChild(card(f, { open: true })); });
    var count = document.getElementById("dups-count");
    count.setAttribute("data-count", String(rows.length));
    count.textContent = rows.length
      ? fmt(rows.length) + (rows.length === 1 ? " finding with" : " findings with") + " related copies, most similar first."
      : (q ? "No duplicates match the search." : "No duplicates in this report.");
    pager(document.getElementById("dups-pager"), page, pages, function (p) { go("duplicates", { q: q, page: p }, true); });
  }
  dupForm.addEventListener("input", function () {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(function () { go("duplicates", { q: dupForm.elements.q.value }, false); }, 150);
  });
  dupForm.addEventListener("submit", function (e) { e.preventDefault(); });

  // -- files views ---------------------------------------------------------------------

  var fileForm = document.getElementById("file-filters");
  function renderFiles(params) {
    var q = (params.get("q") || "");
    fileForm.elements.q.value = q;
    var rows = FILES.filter(function (x) { return x.path.toLowerCase().indexOf(q.toLowerCase()) >= 0; })
      .sort(function (a, b) { return (b.count - a.count) || (a.path < b.path ? -1 : 1); });
    var pages = Math.ceil(rows.length / FILE_ROWS), page = clampPage(params.get("page"), pages);
    var body = document.querySelector("#files-table tbody");
    body.textContent = "";
    rows.slice((page - 1) * FILE_ROWS, page * FILE_ROWS).forEach(function (x) {
      body.appendChild(el("tr", null,
        el("td", { "class": "path" }, el("a", { href: href("file", { path: x.path }) }, x.path)),
        el("td", { "class": "num" }, x.sev.error ? fmt(x.sev.error) : ""),
        el("td", { "class": "num" }, x.sev.warning ? fmt(x.sev.warning) : ""),
        el("td", { "class": "num" }, x.sev.info ? fmt(x.sev.info) : ""),
        el("td", { "class": "num" }, el("a", { href: href("findings", { file: x.path }) }, fmt(x.count)))));
    });
    document.getElementById("files-count").textContent = fmt(rows.length) + (rows.length === 1 ? " file" : " files") + " with findings.";
    pager(document.getElementById("files-pager"), page, pages, function (p) { go("files", { q: q, page: p }, true); });
  }
  fileForm.addEventListener("input", function () {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(function () { go("files", { q: fileForm.elements.q.value }, false); }, 150);
  });
  fileForm.addEventListener("submit", function (e) { e.preventDefault(); });

  function renderFile(params) {
    var path = params.get("path") || "";
    var file = FILES.find(function (x) { return x.path === path; });
    document.getElementById("file-title").textContent = path;
    var list = document.getElementById("file-list");
    list.textContent = "";
    var items = file ? file.items.slice().sort(function (a, b) { return (a.start - b.start) || (a.id - b.id); }) : [];
    var pages = Math.ceil(items.length / PAGE), page = clampPage(params.get("page"), pages);
    items.slice((page - 1) * PAGE, page * PAGE).forEach(function (f) { list.appendChild(card(f)); });
    var count = document.getElementById("file-count");
    count.textContent = "";
    count.setAttribute("data-count", String(items.length));
    append(count, file
      ? [fmt(items.length) + (items.length === 1 ? " finding" : " findings") + " in line order. ",
         el("a", { href: href("findings", { file: path }) }, "Filter the findings list to this file")]
      : "No findings in this file.");
    pager(document.getElementById("file-pager"), page, pages, function (p) { go("file", { path: path, page: p }, true); });
  }

  // -- rules view ------------------------------------------------------------------------

  function renderRules(params) {
    var code = params.get("code");
    var target = code && document.getElementById("rule-" + code);
    document.querySelectorAll(".rule-doc.flash").forEach(function (n) { n.classList.remove("flash"); });
    if (target) { target.classList.add("flash"); target.scrollIntoView({ block: "start" }); window.scrollBy(0, -56); }
  }

  // -- routing ---------------------------------------------------------------------------

  function go(view, params, scroll) {
    var target = href(view, params);
    if (target === location.hash) { route(scroll); return; }
    history.pushState(null, "", target);
    route(scroll);
  }

  function route(scroll) {
    var hash = location.hash.replace(/^#/, "");
    var cut = hash.indexOf("?");
    var view = cut < 0 ? hash : hash.slice(0, cut);
    var params = new URLSearchParams(cut < 0 ? "" : hash.slice(cut + 1));
    if (VIEWS.indexOf(view) < 0) { view = "overview"; }
    VIEWS.forEach(function (v) { document.getElementById("view-" + v).hidden = v !== view; });
    document.querySelectorAll(".tabs a").forEach(function (a) {
      var v = a.getAttribute("data-view");
      a.classList.toggle("active", v === view || (view === "file" && v === "files"));
    });
    if (view === "findings") { renderFindings(params); }
    else if (view === "duplicates") { renderDups(params); }
    else if (view === "files") { renderFiles(params); }
    else if (view === "file") { renderFile(params); }
    else if (view === "rules") { renderRules(params); }
    if (scroll !== false && view !== "rules") { window.scrollTo(0, 0); }
    document.body.setAttribute("data-view", view);
  }

  window.addEventListener("hashchange", function () { route(true); });
  document.addEventListener("keydown", function (e) {
    if (e.key === "/" && !/^(INPUT|SELECT|TEXTAREA)$/.test(document.activeElement.tagName)) {
      e.preventDefault();
      if (document.body.getAttribute("data-view") !== "findings") { go("findings", state, true); }
      form.elements.q.focus();
    }
  });
  route(true);
  document.body.setAttribute("data-ready", "true");
})();
