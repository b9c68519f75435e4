// tebiki serve: the annotation editor (served by `tebiki serve` only; never part of a build).
// Each screenshot gets a button 「注釈を編集」 that opens it large with a tool bar: draw a shape by
// dragging, select, move and resize it with handles, nudge it with the arrow keys (Shift: ×10),
// delete it, undo and redo; 「保存」 sends the annotations to the server, which edits the step's
// file; the page then reloads by itself. On a mock-up, the tools 「押すところ」, 「見るところ」 and
// 「押さないところ」 toggle an element in the mock-up's `highlight:`, `look:` or `avoid:` list by
// clicking it (or Enter); a circle, ellipse, frame or arrow can be made a 「見るところ」 mark.
(function () {
  "use strict";
  var tokenMeta = document.querySelector('meta[name="tebiki-token"]');
  if (!tokenMeta) return;
  var token = tokenMeta.getAttribute("content");
  // The texts, in the author's language: serve writes them from its message catalogs
  // (locales/*/tebiki.ftl, `editor-…`) into the page with the token.
  var textsScript = document.getElementById("tebiki-editor-texts");
  var T = textsScript ? JSON.parse(textsScript.textContent) : {};
  var SHAPES = ["circle", "ellipse", "frame", "arrow", "badge", "label", "forbid", "mask"];
  // The shapes that can be a "look here" mark.
  var LOOKABLE = ["circle", "ellipse", "frame", "arrow"];
  var SVGNS = "http://www.w3.org/2000/svg";

  document.querySelectorAll("figure[data-tebiki-figure]").forEach(function (figure) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "tebiki-edit-button";
    button.textContent = T.edit;
    button.addEventListener("click", function () { open(figure); });
    figure.appendChild(button);
    showLost(figure);
  });

  // Annotations whose target a retaken screenshot no longer shows: what each pointed at and
  // the best match in the new screenshot, side by side, with the way to the editor.
  function showLost(figure) {
    var lost = JSON.parse(figure.getAttribute("data-tebiki-lost") || "[]");
    if (!lost.length) return;
    var img = figure.querySelector("img");
    var size = (figure.getAttribute("data-tebiki-size") || "").split(" ").map(Number);
    var W = size[0] || Number(img.getAttribute("width")), H = size[1] || Number(img.getAttribute("height"));
    var box = el("div", { "class": "tebiki-lost", role: "note" });
    box.appendChild(el("p", {}, T.lost));
    var side = 96;
    lost.forEach(function (item) {
      var row = el("div", { "class": "tebiki-lost-pair" });
      var old = el("figure", {});
      var oldImg = el("img", { src: item.old, alt: T.lostOld + " " + (item.index + 1), width: String(side), height: String(side) });
      old.appendChild(oldImg);
      old.appendChild(el("figcaption", {}, T.lostOld));
      var now = el("figure", {});
      var crop = el("div", { "class": "tebiki-lost-crop", role: "img", "aria-label": T.lostNew + " " + (item.index + 1) });
      var scale = side / Math.max(item.at[2], item.at[3], 1);
      crop.style.width = side + "px";
      crop.style.height = side + "px";
      crop.style.backgroundImage = "url(\"" + largest(img) + "\")";
      crop.style.backgroundSize = (W * scale) + "px " + (H * scale) + "px";
      crop.style.backgroundPosition = (-item.at[0] * scale) + "px " + (-item.at[1] * scale) + "px";
      now.appendChild(crop);
      now.appendChild(el("figcaption", {}, T.lostNew));
      row.appendChild(old);
      row.appendChild(now);
      box.appendChild(row);
    });
    box.appendChild(action(T.edit, function () { open(figure); }));
    figure.appendChild(box);
  }

  // --- Numbers and units ----------------------------------------------------------------
  // A coordinate is kept as {px, pct}: its value in pixels, and whether it is written in %.
  function coord(value, size) {
    if (typeof value === "string" && value.trim().slice(-1) === "%") {
      return { px: parseFloat(value) / 100 * size, pct: true };
    }
    return { px: Number(value), pct: false };
  }
  function written(c, size) {
    var round = function (v) { return Math.round(v * 10) / 10; };
    return c.pct ? round(c.px / size * 100) + "%" : round(c.px);
  }
  // Which fields go with the width (x, w, r, rx) and which with the height (y, h, ry).
  var WIDE = { x: 1, w: 1, r: 1, rx: 1 };

  function fromJson(list, W, H) {
    return list.map(function (a) {
      var s = { shape: a.shape, extra: {} };
      Object.keys(a).forEach(function (k) {
        if (k === "shape") return;
        if (k === "from" || k === "to") s[k] = [coord(a[k][0], W), coord(a[k][1], H)];
        else if (k in { x: 1, y: 1, w: 1, h: 1, r: 1, rx: 1, ry: 1 }) s[k] = coord(a[k], WIDE[k] ? W : H);
        else s.extra[k] = a[k];
      });
      return s;
    });
  }
  function toJson(shapes, W, H) {
    return shapes.map(function (s) {
      var a = { shape: s.shape };
      ["x", "y", "w", "h", "r", "rx", "ry"].forEach(function (k) {
        if (s[k]) a[k] = written(s[k], WIDE[k] ? W : H);
      });
      ["from", "to"].forEach(function (k) {
        if (s[k]) a[k] = [written(s[k][0], W), written(s[k][1], H)];
      });
      Object.keys(s.extra).forEach(function (k) { a[k] = s.extra[k]; });
      return a;
    });
  }
  function clone(shapes) { return JSON.parse(JSON.stringify(shapes)); }

  // --- The editor -------------------------------------------------------------------------
  function open(figure) {
    var img = figure.querySelector("img");
    // The annotations are in the screenshot's own pixels; the <img> names its largest
    // variant's size (at most 1080 wide), so the server says the screenshot's.
    var size = (figure.getAttribute("data-tebiki-size") || "").split(" ").map(Number);
    var W = size[0] > 0 ? size[0] : Number(img.getAttribute("width"));
    var H = size[1] > 0 ? size[1] : Number(img.getAttribute("height"));
    // A mock-up: its elements, and the drawing without marks (the editor draws them).
    var mock = JSON.parse(figure.getAttribute("data-tebiki-mockup") || "null");
    var source = mock ? mock.plain : largest(img);
    var original = JSON.parse(figure.getAttribute("data-tebiki-annotations") || "[]");
    var shapes = fromJson(original, W, H);
    var marks = mock ? { highlight: mock.highlight.slice(), look: (mock.look || []).slice(), avoid: mock.avoid.slice() } : null;
    // The list each marking tool puts an element in.
    var LISTS = { press: "highlight", look: "look", avoid: "avoid" };
    // New shapes are written in the unit the figure uses: % unless it writes pixels.
    var pct = !shapes.some(function (s) { return s.x && !s.x.pct; });
    var history = [snap()], future = [];
    var selected = shapes.length ? 0 : -1, drag = null;
    var tool = mock && !shapes.length ? "press" : "select";
    var opener = document.activeElement;

    var dialog = el("div", { "class": "tebiki-editor", role: "dialog", "aria-modal": "true", "aria-label": T.title });
    var bar = el("div", { "class": "tebiki-editor-bar", role: "toolbar", "aria-label": T.tools });
    var toolButtons = {};
    ["select"].concat(mock ? ["press", "look", "avoid"] : [], SHAPES).forEach(function (name) {
      var b = el("button", { type: "button", "aria-pressed": name === tool ? "true" : "false", "data-tool": name }, T[name]);
      b.addEventListener("click", function () { pickTool(name); });
      b.addEventListener("keydown", function (e) {
        if (e.key === "Enter" && SHAPES.indexOf(name) >= 0) { e.preventDefault(); addDefault(name); }
      });
      toolButtons[name] = b;
      bar.appendChild(b);
    });
    var rounded = el("label", { "class": "tebiki-editor-rounded" });
    var roundedBox = el("input", { type: "checkbox" });
    rounded.appendChild(roundedBox);
    rounded.appendChild(document.createTextNode(T.rounded));
    roundedBox.addEventListener("change", function () {
      if (selected < 0 || shapes[selected].shape !== "frame") return;
      if (roundedBox.checked) shapes[selected].extra.rounded = true; else delete shapes[selected].extra.rounded;
      commit();
    });
    bar.appendChild(rounded);
    // "Look here": a dotted blue mark instead of the red "press here" one.
    var looking = el("label", { "class": "tebiki-editor-rounded tebiki-editor-look" });
    var lookBox = el("input", { type: "checkbox" });
    looking.appendChild(lookBox);
    looking.appendChild(document.createTextNode(T.look));
    lookBox.addEventListener("change", function () {
      if (selected < 0 || LOOKABLE.indexOf(shapes[selected].shape) < 0) return;
      if (lookBox.checked) shapes[selected].extra.look = true; else delete shapes[selected].extra.look;
      commit();
    });
    bar.appendChild(looking);
    var delButton = action(T.del, function () { remove(); });
    var undoButton = action(T.undo, function () { undo(); });
    var redoButton = action(T.redo, function () { redo(); });
    [delButton, undoButton, redoButton].forEach(function (b) { bar.appendChild(b); });

    var stage = el("div", { "class": "tebiki-editor-stage" });
    var picture = el("img", { src: source, alt: img.getAttribute("alt") || "", draggable: "false" });
    var svg = document.createElementNS(SVGNS, "svg");
    svg.setAttribute("viewBox", "0 0 " + W + " " + H);
    svg.setAttribute("role", "group");
    svg.setAttribute("aria-label", T.shapes);
    stage.style.aspectRatio = W + " / " + H;
    stage.appendChild(picture);
    stage.appendChild(svg);
    // The published copies have the masks burned in; the author places a mask over what it
    // hides, so the editor shows the screenshot as it is in the site (fetched with the token).
    var originalUrl = null;
    if (!mock) {
      fetch("/__tebiki/original", {
        method: "POST",
        headers: { "Content-Type": "application/json", "X-Tebiki-Token": token },
        body: JSON.stringify({ figure: figure.getAttribute("data-tebiki-figure") })
      }).then(function (response) {
        return response.ok ? response.blob() : null;
      }).then(function (blob) {
        if (!blob || !dialog.isConnected) return;
        originalUrl = URL.createObjectURL(blob);
        picture.src = originalUrl;
      }, function () {});
    }

    var readout = el("output", { "class": "tebiki-editor-readout", "aria-live": "polite" });
    var message = el("p", { "class": "tebiki-editor-message", role: "status" });
    var foot = el("div", { "class": "tebiki-editor-foot" });
    var save = action(T.save, function () { send(); });
    save.classList.add("tebiki-editor-save");
    var cancel = action(T.cancel, function () { close(); });
    foot.appendChild(readout);
    foot.appendChild(message);
    foot.appendChild(cancel);
    foot.appendChild(save);
    dialog.appendChild(bar);
    dialog.appendChild(stage);
    dialog.appendChild(foot);
    // The page behind is out of reach (Tab, screen readers) while the editor is open.
    var behind = Array.prototype.filter.call(document.body.children, function (n) { return !n.inert; });
    behind.forEach(function (n) { n.inert = true; });
    document.body.appendChild(dialog);
    document.documentElement.classList.add("tebiki-editor-open");
    dialog.addEventListener("keydown", keys);
    svg.addEventListener("pointerdown", down);
    svg.addEventListener("pointermove", move);
    svg.addEventListener("pointerup", up);
    svg.addEventListener("pointercancel", up);
    draw();
    toolButtons.select.focus();

    function pickTool(name) {
      tool = name;
      Object.keys(toolButtons).forEach(function (k) {
        toolButtons[k].setAttribute("aria-pressed", k === name ? "true" : "false");
      });
      if (mock) draw();
    }
    function snap() { return clone({ shapes: shapes, marks: marks }); }
    function restore(state) {
      state = clone(state);
      shapes = state.shapes;
      marks = state.marks;
    }
    function commit() {
      history.push(snap());
      future = [];
      draw();
    }
    function undo() {
      if (history.length < 2) return;
      future.push(history.pop());
      restore(history[history.length - 1]);
      selected = Math.min(selected, shapes.length - 1);
      draw();
    }
    function redo() {
      if (!future.length) return;
      var next = future.pop();
      history.push(next);
      restore(next);
      draw();
    }
    // A mock-up's element: into the list of the tool in hand (「押すところ」 unless another
    // marking tool is), out of the others; out of all when it is already in that list.
    function toggle(id) {
      var into = LISTS[tool] || "highlight";
      var had = marks[into].indexOf(id) >= 0;
      Object.keys(LISTS).forEach(function (k) {
        var list = LISTS[k];
        if (list !== into) marks[list] = marks[list].filter(function (x) { return x !== id; });
      });
      marks[into] = had ? marks[into].filter(function (x) { return x !== id; }) : marks[into].concat([id]);
      commit();
      var g = svg.querySelector('[data-element="' + id + '"]');
      if (g) g.focus();
    }
    function remove() {
      if (selected < 0) return;
      shapes.splice(selected, 1);
      selected = Math.min(selected, shapes.length - 1);
      commit();
      focusSelected();
    }
    function c(px, wide) { return { px: px, pct: pct }; }
    function fresh(name, x0, y0, x1, y1) {
      var s = { shape: name, extra: {} };
      var l = Math.min(x0, x1), t = Math.min(y0, y1), w = Math.abs(x1 - x0), h = Math.abs(y1 - y0);
      var least = W * 0.03;
      if (name === "circle" || name === "forbid") {
        s.x = c(x0); s.y = c(y0); s.r = c(Math.max(Math.hypot(x1 - x0, y1 - y0), least));
      } else if (name === "ellipse") {
        s.x = c(l + w / 2); s.y = c(t + h / 2); s.rx = c(Math.max(w / 2, least)); s.ry = c(Math.max(h / 2, least));
      } else if (name === "frame" || name === "mask") {
        s.x = c(l); s.y = c(t); s.w = c(Math.max(w, least)); s.h = c(Math.max(h, least));
      } else if (name === "arrow") {
        if (Math.hypot(x1 - x0, y1 - y0) < least) { x0 = x1 - W * 0.15; y0 = y1 - W * 0.15; }
        s.from = [c(x0), c(y0)]; s.to = [c(x1), c(y1)];
      } else {
        s.x = c(x1); s.y = c(y1);
        if (name === "badge") s.extra.n = shapes.filter(function (o) { return o.shape === "badge"; }).length + 1;
        if (name === "label") s.extra.text = T.text;
      }
      return s;
    }
    function addDefault(name) {
      var cx = W / 2, cy = H / 2, d = W * 0.12;
      shapes.push(fresh(name, cx - d, cy - d / 2, cx + d, cy + d / 2));
      selected = shapes.length - 1;
      commit();
      focusSelected();
    }

    // Pointer: draw with a shape tool; with "select", move a shape or drag one of its handles.
    function point(e) {
      var p = svg.createSVGPoint();
      p.x = e.clientX; p.y = e.clientY;
      var q = p.matrixTransform(svg.getScreenCTM().inverse());
      return { x: Math.max(0, Math.min(W, q.x)), y: Math.max(0, Math.min(H, q.y)) };
    }
    function down(e) {
      var element = mock && LISTS[tool] && e.target.closest("[data-element]");
      if (element) { e.preventDefault(); toggle(element.getAttribute("data-element")); return; }
      var at = point(e);
      var handle = e.target.getAttribute("data-handle");
      var index = e.target.closest("[data-index]");
      svg.setPointerCapture(e.pointerId);
      if (handle !== null && selected >= 0) {
        drag = { kind: "handle", handle: handle, start: at, before: clone(shapes[selected]) };
      } else if (tool === "select" && index) {
        selected = Number(index.getAttribute("data-index"));
        drag = { kind: "move", start: at, before: clone(shapes[selected]) };
        draw();
      } else if (SHAPES.indexOf(tool) >= 0) {
        shapes.push(fresh(tool, at.x, at.y, at.x, at.y));
        selected = shapes.length - 1;
        drag = { kind: "draw", start: at };
        draw();
      } else {
        selected = -1;
        draw();
      }
      e.preventDefault();
    }
    function move(e) {
      if (!drag || selected < 0) return;
      var at = point(e);
      if (drag.kind === "draw") shapes[selected] = keepExtra(fresh(tool, drag.start.x, drag.start.y, at.x, at.y), shapes[selected]);
      else if (drag.kind === "move") { shapes[selected] = clone(drag.before); shift(shapes[selected], at.x - drag.start.x, at.y - drag.start.y); }
      else resize(shapes[selected], drag.handle, at, drag.before);
      draw();
    }
    function up() {
      if (!drag) return;
      drag = null;
      commit();
    }
    function keepExtra(s, old) { s.extra = old.extra; return s; }
    function shift(s, dx, dy) {
      ["x"].forEach(function (k) { if (s[k]) s[k].px += dx; });
      ["y"].forEach(function (k) { if (s[k]) s[k].px += dy; });
      ["from", "to"].forEach(function (k) { if (s[k]) { s[k][0].px += dx; s[k][1].px += dy; } });
    }
    function resize(s, handle, at, before) {
      if (handle === "from" || handle === "to") { s[handle][0].px = at.x; s[handle][1].px = at.y; return; }
      if (handle === "r") { s.r.px = Math.max(2, Math.hypot(at.x - s.x.px, at.y - s.y.px)); return; }
      if (handle === "rx") { s.rx.px = Math.max(2, Math.abs(at.x - s.x.px)); return; }
      if (handle === "ry") { s.ry.px = Math.max(2, Math.abs(at.y - s.y.px)); return; }
      // Corners of a frame or mask: the opposite corner stays.
      var x0 = before.x.px, y0 = before.y.px, x1 = x0 + before.w.px, y1 = y0 + before.h.px;
      if (handle.indexOf("w") >= 0) x0 = at.x; else x1 = at.x;
      if (handle.indexOf("n") >= 0) y0 = at.y; else y1 = at.y;
      s.x.px = Math.min(x0, x1); s.y.px = Math.min(y0, y1);
      s.w.px = Math.max(2, Math.abs(x1 - x0)); s.h.px = Math.max(2, Math.abs(y1 - y0));
    }

    // Keyboard: arrows nudge (Shift ×10), Delete deletes, Ctrl+Z / Ctrl+Y, Escape cancels.
    function keys(e) {
      var mod = e.ctrlKey || e.metaKey;
      if (e.key === "Escape") { e.preventDefault(); close(); return; }
      if (mod && (e.key === "z" || e.key === "Z")) { e.preventDefault(); if (e.shiftKey) redo(); else undo(); return; }
      if (mod && (e.key === "y" || e.key === "Y")) { e.preventDefault(); redo(); return; }
      var onElement = e.target.closest && e.target.closest("[data-element]");
      if (onElement && (e.key === "Enter" || e.key === " ")) {
        e.preventDefault();
        toggle(onElement.getAttribute("data-element"));
        return;
      }
      var onShape = e.target.closest && e.target.closest("[data-index]");
      if (!onShape || selected < 0) return;
      var step = e.shiftKey ? 10 : 1;
      var moves = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, -step], ArrowDown: [0, step] };
      if (moves[e.key]) {
        e.preventDefault();
        shift(shapes[selected], moves[e.key][0], moves[e.key][1]);
        commit();
        focusSelected();
      } else if (e.key === "Delete" || e.key === "Backspace") {
        e.preventDefault();
        remove();
      }
    }
    function focusSelected() {
      var g = svg.querySelector('[data-index="' + selected + '"]');
      if (g) g.focus(); else toolButtons.select.focus();
    }

    // Drawing: every shape as a focusable group, the selected one with its handles.
    function draw() {
      svg.replaceChildren();
      var stroke = Math.max(W / 90, 2);
      if (mock) drawElements(stroke);
      shapes.forEach(function (s, i) {
        var g = document.createElementNS(SVGNS, "g");
        g.setAttribute("data-index", i);
        g.setAttribute("tabindex", "0");
        g.setAttribute("role", "button");
        g.setAttribute("aria-label", T[s.shape] + " " + (i + 1));
        g.setAttribute("aria-pressed", i === selected ? "true" : "false");
        g.setAttribute("class", "tebiki-shape" + (i === selected ? " is-selected" : "") + (s.shape === "mask" ? " is-mask" : ""));
        g.addEventListener("focus", function () { if (selected !== i) { selected = i; draw(); focusSelected(); } });
        shapeElements(s, stroke).forEach(function (node) { g.appendChild(node); });
        svg.appendChild(g);
      });
      if (selected >= 0 && shapes[selected]) handles(shapes[selected], stroke);
      readout.textContent = mock && LISTS[tool] ? describeMarks()
        : selected >= 0 && shapes[selected] ? describe(shapes[selected]) : T.none;
      delButton.disabled = selected < 0;
      undoButton.disabled = history.length < 2;
      redoButton.disabled = !future.length;
      var frame = selected >= 0 && shapes[selected] && shapes[selected].shape === "frame";
      rounded.hidden = !frame;
      roundedBox.checked = !!(frame && shapes[selected].extra.rounded);
      var lookable = selected >= 0 && shapes[selected] && LOOKABLE.indexOf(shapes[selected].shape) >= 0;
      looking.hidden = !lookable;
      lookBox.checked = !!(lookable && shapes[selected].extra.look);
    }
    // A mock-up's elements, under the shapes: each a button; marked ones drawn as the build
    // draws them (a red frame; a dotted blue frame; a dashed frame with a prohibition sign),
    // the others outlined in grey while a marking tool is in hand.
    function drawElements(stroke) {
      var marking = !!LISTS[tool];
      var group = node("g", { role: "group", "aria-label": T.elements });
      mock.elements.forEach(function (e) {
        var pressed = marks.highlight.indexOf(e.id) >= 0, avoided = marks.avoid.indexOf(e.id) >= 0;
        var looked = marks.look.indexOf(e.id) >= 0;
        var state = pressed ? T.press : looked ? T.look : avoided ? T.avoid : T.unmarked;
        var g = node("g", { "data-element": e.id, tabindex: marking ? "0" : "-1", role: "button",
          "aria-label": e.id + ": " + state, "class": "tebiki-element" + (pressed ? " is-press" : "") + (looked ? " is-look" : "") + (avoided ? " is-avoid" : "") });
        var rect = { x: e.x, y: e.y, width: e.w, height: e.h, rx: 10, fill: "rgb(0 0 0 / 0)" };
        if (pressed) { rect.stroke = "#e53935"; rect["stroke-width"] = 4; }
        else if (looked) { rect.stroke = "#1565c0"; rect["stroke-width"] = 5; rect["stroke-dasharray"] = "0.1 9"; rect["stroke-linecap"] = "round"; }
        else if (avoided) { rect.stroke = "#e53935"; rect["stroke-width"] = 3; rect["stroke-dasharray"] = "8 5"; }
        else if (marking) { rect.stroke = "#5f6368"; rect["stroke-width"] = 1.5; rect["stroke-dasharray"] = "4 4"; }
        g.appendChild(node("rect", rect));
        if (avoided) {
          var r = Math.min(14, e.h / 2), cx = e.x + e.w - r - 4, cy = e.y + e.h / 2;
          g.appendChild(node("circle", { cx: cx, cy: cy, r: r, fill: "#fff", stroke: "#e53935", "stroke-width": 4 }));
          g.appendChild(node("line", { x1: cx - r * 0.7, y1: cy - r * 0.7, x2: cx + r * 0.7, y2: cy + r * 0.7, stroke: "#e53935", "stroke-width": 4 }));
        }
        group.appendChild(g);
      });
      svg.appendChild(group);
    }
    function describeMarks() {
      var list = function (ids) { return ids.length ? ids.join(", ") : "—"; };
      return T.press + ": " + list(marks.highlight) + "  " + T.look + ": " + list(marks.look) + "  " + T.avoid + ": " + list(marks.avoid) + "  " + T.marksHint;
    }
    function node(name, attrs) {
      var n = document.createElementNS(SVGNS, name);
      Object.keys(attrs).forEach(function (k) { n.setAttribute(k, attrs[k]); });
      return n;
    }
    function shapeElements(s, stroke) {
      var red = s.extra.color || (s.extra.look ? "#1565c0" : "#e53935"), none = "none";
      // A look mark's dots, as the build draws them.
      var dots = s.extra.look ? { "stroke-dasharray": "0.1 " + stroke * 2.2, "stroke-linecap": "round" } : {};
      switch (s.shape) {
        case "circle": return [node("circle", Object.assign({ cx: s.x.px, cy: s.y.px, r: s.r.px, fill: none, stroke: red, "stroke-width": stroke }, dots))];
        case "ellipse": return [node("ellipse", Object.assign({ cx: s.x.px, cy: s.y.px, rx: s.rx.px, ry: s.ry.px, fill: none, stroke: red, "stroke-width": stroke }, dots))];
        case "frame": return [node("rect", Object.assign({ x: s.x.px, y: s.y.px, width: s.w.px, height: s.h.px, rx: s.extra.rounded ? stroke * 3 : 0, fill: none, stroke: red, "stroke-width": stroke }, dots))];
        case "mask": return [node("rect", { x: s.x.px, y: s.y.px, width: s.w.px, height: s.h.px, fill: "#9aa0a6" })];
        case "arrow": return [node("line", Object.assign({ x1: s.from[0].px, y1: s.from[1].px, x2: s.to[0].px, y2: s.to[1].px, stroke: red, "stroke-width": stroke * 1.5 }, dots)),
          node("circle", { cx: s.to[0].px, cy: s.to[1].px, r: stroke * 2.5, fill: red })];
        case "badge": var b = node("text", { x: s.x.px, y: s.y.px, "font-size": stroke * 6, fill: "#fff", "text-anchor": "middle", "dominant-baseline": "central" });
          b.textContent = s.extra.n || 1;
          return [node("circle", { cx: s.x.px, cy: s.y.px, r: stroke * 5, fill: red }), b];
        case "label": var t = node("text", { x: s.x.px, y: s.y.px, "font-size": stroke * 6, "font-weight": 700, fill: red, stroke: "#fff", "stroke-width": stroke, "paint-order": "stroke" });
          t.textContent = s.extra.text || "";
          return [t];
        case "forbid": var r = s.r.px;
          return [node("circle", { cx: s.x.px, cy: s.y.px, r: r, fill: "rgb(255 255 255 / 0.45)", stroke: red, "stroke-width": stroke * 1.5 }),
            node("line", { x1: s.x.px - r * 0.7, y1: s.y.px - r * 0.7, x2: s.x.px + r * 0.7, y2: s.y.px + r * 0.7, stroke: red, "stroke-width": stroke * 1.5 })];
      }
      return [];
    }
    function handles(s, stroke) {
      // At least 24 CSS pixels, whatever the picture's scale (a phone shows it at a quarter).
      var shown = svg.getBoundingClientRect().width;
      var size = Math.max(stroke * 3, shown > 0 ? 24 * W / shown : 0);
      var add = function (name, x, y) {
        var h = node("rect", { x: x - size / 2, y: y - size / 2, width: size, height: size, "class": "tebiki-handle", "data-handle": name });
        svg.appendChild(h);
      };
      if (s.shape === "frame" || s.shape === "mask") {
        add("nw", s.x.px, s.y.px); add("ne", s.x.px + s.w.px, s.y.px);
        add("sw", s.x.px, s.y.px + s.h.px); add("se", s.x.px + s.w.px, s.y.px + s.h.px);
      } else if (s.shape === "circle" || s.shape === "forbid") add("r", s.x.px + s.r.px, s.y.px);
      else if (s.shape === "ellipse") { add("rx", s.x.px + s.rx.px, s.y.px); add("ry", s.x.px, s.y.px + s.ry.px); }
      else if (s.shape === "arrow") { add("from", s.from[0].px, s.from[1].px); add("to", s.to[0].px, s.to[1].px); }
    }
    function describe(s) {
      var a = toJson([s], W, H)[0], parts = [T[s.shape]];
      Object.keys(a).forEach(function (k) {
        if (k === "shape") return;
        var v = a[k];
        parts.push(k + ": " + (Array.isArray(v) ? "[" + v.join(", ") + "]" : v));
      });
      return parts.join("  ");
    }

    function send() {
      message.textContent = T.saving;
      save.disabled = true;
      fetch("/__tebiki/annotations", {
        method: "POST",
        headers: { "Content-Type": "application/json", "X-Tebiki-Token": token },
        body: JSON.stringify(Object.assign({
          figure: figure.getAttribute("data-tebiki-figure"),
          version: figure.getAttribute("data-tebiki-version"),
          annotations: toJson(shapes, W, H)
        }, marks ? { highlight: marks.highlight, look: marks.look, avoid: marks.avoid } : {}))
      }).then(function (response) {
        return response.text().then(function (text) { return { status: response.status, text: text }; });
      }).then(function (answer) {
        save.disabled = false;
        if (answer.status === 200) { message.textContent = T.saved; return; }
        var why = "";
        try { why = JSON.parse(answer.text).error; } catch (e) { why = answer.text; }
        if (answer.status === 409) {
          message.textContent = T.changed + " ";
          var again = action(T.reload, function () { location.reload(); });
          message.appendChild(again);
        } else {
          message.textContent = why;
        }
      }, function (err) {
        save.disabled = false;
        message.textContent = String(err);
      });
    }
    function close() {
      if (originalUrl) URL.revokeObjectURL(originalUrl);
      behind.forEach(function (n) { n.inert = false; });
      dialog.remove();
      document.documentElement.classList.remove("tebiki-editor-open");
      if (opener && opener.focus) opener.focus();
    }
  }

  function largest(img) {
    var set = img.getAttribute("srcset");
    if (!set) return img.currentSrc || img.src;
    var best = null, width = 0;
    set.split(",").forEach(function (part) {
      var bits = part.trim().split(/\s+/);
      var w = parseInt(bits[1], 10) || 0;
      if (w >= width) { width = w; best = bits[0]; }
    });
    return best ? new URL(best, img.baseURI || location.href).href : img.src;
  }
  function el(name, attrs, text) {
    var n = document.createElement(name);
    Object.keys(attrs || {}).forEach(function (k) { n.setAttribute(k, attrs[k]); });
    if (text) n.textContent = text;
    return n;
  }
  function action(label, run) {
    var b = el("button", { type: "button" }, label);
    b.addEventListener("click", run);
    return b;
  }
})();
