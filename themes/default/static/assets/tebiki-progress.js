// tebiki: 「できた」 checkboxes on the step cards. What the reader ticked is kept per page in
// localStorage (no cookie, no network), so that after switching to another app and back the
// page offers 「STEP14から再開」 at the top, and the table of contents marks the steps done. A step
// that appears in two procedures is ticked in each one separately. Without JavaScript the
// checkboxes and the resume bar stay hidden.
(function (global) {
  "use strict";

  /**
   * The step to resume at: the one after the last ticked step, in page order (`steps` are the
   * keys in page order, `done` a Set of ticked keys). `null` when nothing is ticked; `""` when
   * the last step is ticked.
   */
  function resumeAt(steps, done) {
    var last = -1;
    for (var i = 0; i < steps.length; i++) if (done.has(steps[i])) last = i;
    if (last === -1) return null;
    for (var j = last + 1; j < steps.length; j++) if (!done.has(steps[j])) return steps[j];
    return "";
  }

  global.tebikiProgress = { resumeAt: resumeAt };
  if (typeof document === "undefined") return;

  var storageKey = "tebiki:done:" + location.pathname;

  function read() {
    try {
      var list = JSON.parse(global.localStorage.getItem(storageKey) || "[]");
      return new Set(Array.isArray(list) ? list.map(String) : []);
    } catch (e) {
      return new Set();
    }
  }

  function write(done) {
    try {
      if (done.size === 0) global.localStorage.removeItem(storageKey);
      else global.localStorage.setItem(storageKey, JSON.stringify(Array.from(done)));
    } catch (e) {
      // Storage refused (private mode): the ticks last until the page is left.
    }
  }

  function init() {
    var boxes = Array.prototype.slice.call(document.querySelectorAll(".step-done-box[data-step]"));
    var bar = document.querySelector(".progress-resume");
    if (!boxes.length || !bar) return;
    var link = bar.querySelector(".progress-resume-link");
    var allDone = bar.querySelector(".progress-all-done");
    var mark = bar.getAttribute("data-done-mark") || "";
    var keys = boxes.map(function (b) { return b.getAttribute("data-step"); });
    var done = read();

    // A step card: `.step` on the site, `.tebiki-step` in a WordPress post (whose anchor is
    // on the step's heading).
    function cardOf(box) {
      return box.closest(".step, .tebiki-step");
    }

    function anchorOf(box) {
      var card = cardOf(box);
      if (!card) return "";
      var heading = card.id ? null : card.querySelector(".tebiki-step-title[id]");
      return heading ? heading.id : card.id;
    }

    var tocLinks = {};
    Array.prototype.forEach.call(document.querySelectorAll(".toc-sublink"), function (a) {
      tocLinks[a.getAttribute("href")] = a;
    });

    function tocLink(box) {
      return tocLinks["#" + anchorOf(box)] || null;
    }

    function show() {
      boxes.forEach(function (box) {
        var ticked = done.has(box.getAttribute("data-step"));
        box.checked = ticked;
        var card = cardOf(box);
        if (card) card.classList.toggle("is-done", ticked);
        var toc = tocLink(box);
        if (toc) {
          toc.classList.toggle("is-done", ticked);
          var said = toc.querySelector(".toc-done-mark");
          // (No ampersand here: WordPress turns it into an entity in a post's inline script.)
          if (ticked ? !said : false) {
            said = document.createElement("span");
            said.className = "toc-done-mark";
            said.textContent = mark;
            toc.appendChild(said);
          } else if (ticked ? false : said) {
            said.remove();
          }
        }
      });
      var next = resumeAt(keys, done);
      bar.hidden = next === null;
      link.hidden = !next;
      allDone.hidden = next !== "";
      if (next) {
        var box = boxes[keys.indexOf(next)];
        link.textContent = box.getAttribute("data-resume");
        link.setAttribute("href", "#" + anchorOf(box));
      }
    }

    boxes.forEach(function (box) {
      box.closest(".step-done").hidden = false;
      box.addEventListener("change", function () {
        var key = box.getAttribute("data-step");
        if (box.checked) done.add(key);
        else done.delete(key);
        write(done);
        show();
      });
    });
    bar.querySelector(".progress-reset").addEventListener("click", function () {
      done = new Set();
      write(done);
      show();
      if (boxes[0]) boxes[0].focus({ preventScroll: true });
    });
    global.addEventListener("storage", function (e) {
      if (e.key === null || e.key === storageKey) {
        done = read();
        show();
      }
    });
    show();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})(this);
