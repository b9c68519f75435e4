// tebiki: narrows the trouble entries as the reader types. Without JavaScript the entries stay
// a plain list and the filter box stays hidden. Matching ignores the differences readers do
// not care about: full-width and half-width forms (ＡＢＣ/ABC, ﾒﾝﾃﾅﾝｽ/メンテナンス), hiragana
// and katakana (めんてなんす/メンテナンス), letter case, spaces, and dashes: the long-vowel mark a
// kana keyboard types for "-" (ー, ｰ), minus (−), hyphens (‐ ‑), dashes (– —) and "-" are all
// ignored, so e401, Eー401 and E−401 all find "E-401".
(function (global) {
  "use strict";

  function normalize(text) {
    return String(text)
      .normalize("NFKC")
      .toLowerCase()
      .replace(/[\u3041-\u3096\u309d\u309e]/g, function (c) {
        return String.fromCharCode(c.charCodeAt(0) + 0x60);
      })
      .replace(/[\s\u30fc\uff70\u2212\u2010\u2011\u2013\u2014\u2015\-]+/g, "");
  }

  function matches(query, text) {
    return normalize(text).indexOf(normalize(query)) !== -1;
  }

  function setUp(box) {
    var scope = box.closest("[data-filter-scope]") || document;
    var input = box.querySelector("input");
    var status = box.querySelector("[role=status]");
    var entries = Array.prototype.slice.call(scope.querySelectorAll(".trouble[data-search]"));
    var keys = entries.map(function (e) { return normalize(e.getAttribute("data-search")); });
    function update() {
      var query = normalize(input.value);
      var shown = 0;
      entries.forEach(function (entry, i) {
        var hit = query === "" || keys[i].indexOf(query) !== -1;
        entry.hidden = !hit;
        if (hit) shown += 1;
      });
      Array.prototype.forEach.call(scope.querySelectorAll(".trouble-group"), function (group) {
        group.hidden = !group.querySelector(".trouble:not([hidden])");
      });
      if (query === "") {
        status.textContent = "";
      } else if (shown === 0) {
        status.textContent = status.getAttribute("data-none");
      } else {
        status.textContent = status.getAttribute("data-count").replace("{n}", String(shown));
      }
    }
    input.addEventListener("input", update);
    box.hidden = false;
  }

  global.tebikiFilter = { normalize: normalize, matches: matches };
  if (typeof document !== "undefined") {
    var start = function () {
      Array.prototype.forEach.call(document.querySelectorAll(".trouble-filter"), setUp);
    };
    if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", start);
    } else {
      start();
    }
  }
})(typeof window !== "undefined" ? window : globalThis);
