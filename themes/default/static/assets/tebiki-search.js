// Site search. The box is hidden until this script runs (no dead box without JavaScript).
// The index (pagefind/, made by `tebiki build`: one Pagefind page per guide page, one
// sub-result per step card and trouble entry) is loaded when the reader first types; each
// result is a link to a step card or a trouble entry: its STEP badge, title, guide and an
// excerpt with the matched words marked. A query written in hiragana is also tried in katakana
// (「めんてなんす」 finds 「メンテナンス」); those results are shown when there are any.
(function () {
  "use strict";
  var box = document.querySelector(".site-search");
  if (!box) return;
  var input = box.querySelector("input");
  var status = box.querySelector(".site-search-status");
  var list = box.querySelector(".site-search-results");
  var root = new URL(box.getAttribute("data-root"), location.href);
  var engine = null;
  var timer = 0;
  var asked = 0;
  box.hidden = false;

  function text(name) {
    return box.getAttribute("data-" + name) || "";
  }
  function load() {
    if (!engine) {
      // import() resolves a relative path against this script, not the page: make it whole.
      var where = new URL(box.getAttribute("data-pagefind"), location.href).href;
      engine = import(where).then(function (pagefind) {
        return pagefind.init().then(function () { return pagefind; });
      });
      engine.catch(function () { engine = null; });
    }
    return engine;
  }
  function katakana(term) {
    return term.replace(/[\u3041-\u3096]/g, function (c) {
      return String.fromCharCode(c.charCodeAt(0) + 0x60);
    });
  }
  // Pagefind's texts come HTML-escaped: a textarea decodes them without running anything.
  function decode(html) {
    var area = document.createElement("textarea");
    area.innerHTML = html;
    return area.value;
  }
  function search(term) {
    return load().then(function (pagefind) {
      var kana = katakana(term);
      var first = kana === term ? Promise.resolve(null) : pagefind.search(kana);
      return first.then(function (found) {
        return found && found.results.length ? found : pagefind.search(term);
      });
    }).then(function (found) {
      var pages = found.results.slice(0, 10).map(function (r) { return r.data(); });
      return Promise.all(pages).then(function (data) {
        var hits = [];
        data.forEach(function (page) { hits = hits.concat(hitsOf(page)); });
        return { total: hits.length, data: hits.slice(0, 20) };
      });
    });
  }
  // A page's results: its step cards and entries that matched, the best first (by the weight
  // of their matches), else the page itself.
  function hitsOf(page) {
    var subs = (page.sub_results || []).filter(function (s) { return s.url.indexOf("#") >= 0; });
    var weight = function (s) {
      return (s.weighted_locations || []).reduce(function (sum, l) { return sum + (l.weight || 1); }, 0);
    };
    subs.sort(function (a, b) { return weight(b) - weight(a); });
    var guide = page.meta.title || "";
    if (!subs.length) return [{ url: page.url, title: guide, guide: "", excerpt: page.excerpt }];
    return subs.map(function (s) {
      return { url: s.url, title: s.title, guide: guide, excerpt: s.excerpt };
    });
  }
  // 「STEP15 【認証する】を押す」 → the badge 「STEP15」 and the title.
  function badgeOf(title) {
    var label = text("step").replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    var m = new RegExp("^(" + label + "\\d+)\\s+(.*)$").exec(title);
    return m ? { badge: m[1], title: m[2] } : { badge: "", title: title };
  }
  function run(term) {
    var n = ++asked;
    if (!term.trim()) {
      list.replaceChildren();
      list.hidden = true;
      status.textContent = "";
      return;
    }
    status.textContent = text("loading");
    search(term.trim()).then(function (found) {
      if (n !== asked) return;
      show(found.data);
      status.textContent = found.total ? text("count").replace("{n}", found.total) : text("none");
    }).catch(function () {
      if (n === asked) status.textContent = text("failed");
    });
  }
  function show(data) {
    list.replaceChildren();
    data.forEach(function (d) {
      var item = document.createElement("li");
      item.className = "site-search-result";
      var link = document.createElement("a");
      link.className = "site-search-link";
      link.href = new URL(d.url.replace(/^\//, ""), root).href;
      var named = badgeOf(decode(d.title || ""));
      if (named.badge) {
        var badge = document.createElement("span");
        badge.className = "step-badge";
        badge.textContent = named.badge;
        link.appendChild(badge);
        link.appendChild(document.createTextNode(" "));
      }
      link.appendChild(document.createTextNode(named.title));
      item.appendChild(link);
      if (d.guide) {
        var guide = document.createElement("p");
        guide.className = "site-search-guide";
        guide.textContent = decode(d.guide);
        item.appendChild(guide);
      }
      var excerpt = document.createElement("p");
      excerpt.className = "site-search-excerpt";
      var marked = false;
      (d.excerpt || "").split(/(<\/?mark>)/).forEach(function (part) {
        if (part === "<mark>") { marked = true; return; }
        if (part === "</mark>") { marked = false; return; }
        if (!part) return;
        var node = document.createTextNode(decode(part));
        if (marked) {
          var mark = document.createElement("mark");
          mark.appendChild(node);
          excerpt.appendChild(mark);
        } else {
          excerpt.appendChild(node);
        }
      });
      item.appendChild(excerpt);
      list.appendChild(item);
    });
    list.hidden = !data.length;
  }

  input.addEventListener("focus", function () { load(); });
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () { run(input.value); }, 150);
  });
  input.addEventListener("keydown", function (e) {
    if (e.key === "Escape" && input.value) {
      input.value = "";
      run("");
    } else if (e.key === "ArrowDown") {
      var first = list.querySelector("a");
      if (first) { e.preventDefault(); first.focus(); }
    }
  });
  list.addEventListener("keydown", function (e) {
    var links = Array.prototype.slice.call(list.querySelectorAll("a"));
    var at = links.indexOf(document.activeElement);
    if (at < 0) return;
    if (e.key === "ArrowDown" && at + 1 < links.length) { e.preventDefault(); links[at + 1].focus(); }
    if (e.key === "ArrowUp") { e.preventDefault(); (at ? links[at - 1] : input).focus(); }
    if (e.key === "Escape") { e.preventDefault(); input.focus(); }
  });
  box.querySelector("form").addEventListener("submit", function (e) {
    e.preventDefault();
    clearTimeout(timer);
    run(input.value);
  });
})();
