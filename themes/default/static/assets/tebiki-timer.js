// tebiki: the countdown of a timed window (a window with `duration:` in guide.yaml). The button
// at the window's first step stores the start time in localStorage; the sticky bar computes the
// time left from it at every tick, so a reload, a switch to another app or a tab the phone froze
// shows the right time when the reader comes back. One minute before the end, and at the end,
// the bar says so once through its polite live region (the time itself is not announced every
// second); at the end it shows the entries that arise in the window and their remedies. Without
// JavaScript the button and the bar stay hidden and the page shows its static window marks.
(function (global) {
  "use strict";

  /**
   * Milliseconds left of a `duration`-second window started at `start` (ms), at `now`: never
   * below zero, never more than the whole window (a clock set back).
   */
  function remaining(start, now, duration) {
    return Math.min(duration * 1000, Math.max(0, start + duration * 1000 - now));
  }

  /** "4:05" (or "1:02:03" from an hour on): whole seconds, rounded up, so 0:00 is the end. */
  function clock(ms) {
    var total = Math.ceil(Math.max(0, ms) / 1000);
    var h = Math.floor(total / 3600);
    var m = Math.floor((total % 3600) / 60);
    var s = total % 60;
    var two = function (n) { return (n < 10 ? "0" : "") + n; };
    return h > 0 ? h + ":" + two(m) + ":" + two(s) : m + ":" + two(s);
  }

  /** "running", "last-minute" (60 s or less left) or "ended". */
  function phase(ms) {
    if (ms <= 0) return "ended";
    return ms <= 60000 ? "last-minute" : "running";
  }

  global.tebikiTimer = { remaining: remaining, clock: clock, phase: phase };
  if (typeof document === "undefined") return;

  function storageKey(id) {
    return "tebiki:timer:" + location.pathname + ":" + id;
  }

  function readStart(id) {
    try {
      var value = Number(global.localStorage.getItem(storageKey(id)));
      return value > 0 ? value : null;
    } catch (e) {
      return null;
    }
  }

  function writeStart(id, value) {
    try {
      if (value === null) global.localStorage.removeItem(storageKey(id));
      else global.localStorage.setItem(storageKey(id), String(value));
    } catch (e) {
      // Storage refused (private mode): the timer still runs until the page is left.
    }
  }

  function setUp(bar) {
    var id = bar.getAttribute("data-timer");
    var duration = Number(bar.getAttribute("data-duration"));
    var left = bar.querySelector(".timer-left");
    var status = bar.querySelector(".timer-status");
    var expired = bar.querySelector(".timer-expired");
    var stop = bar.querySelector(".timer-stop");
    var buttons = Array.prototype.slice.call(
      document.querySelectorAll(".timer-start[data-timer]")
    ).filter(function (b) { return b.getAttribute("data-timer") === id; });
    var memory = null; // the start when localStorage refuses
    var shown = null;
    var pending = null;

    function start() {
      var stored = readStart(id);
      return stored === null ? memory : stored;
    }

    function schedule(ms) {
      if (pending !== null) global.clearTimeout(pending);
      pending = ms === null ? null : global.setTimeout(update, ms);
    }

    function announce(now) {
      if (now === "last-minute") status.textContent = bar.getAttribute("data-one-minute");
      else if (now === "ended") status.textContent = bar.getAttribute("data-ended");
      else status.textContent = "";
    }

    function update() {
      pending = null;
      var begun = start();
      buttons.forEach(function (b) { b.parentNode.hidden = begun !== null; });
      if (begun === null) {
        bar.hidden = true;
        document.documentElement.style.removeProperty("--tebiki-sticky");
        shown = null;
        status.textContent = "";
        schedule(null);
        return;
      }
      var ms = remaining(begun, Date.now(), duration);
      var now = phase(ms);
      bar.hidden = false;
      bar.setAttribute("data-phase", now);
      left.textContent = bar.getAttribute("data-left").replace("{time}", clock(ms));
      expired.hidden = now !== "ended";
      document.documentElement.style.setProperty("--tebiki-sticky", bar.offsetHeight + 8 + "px");
      // Said once when it changes while the page is open; a page opened late shows it silently.
      // (No ampersand here: WordPress turns it into an entity in a post's inline script.)
      var changed = shown === null ? now === "ended" : now !== shown;
      if (changed) announce(now);
      shown = now;
      // Next tick just after the displayed second changes.
      schedule(now === "ended" ? null : (ms % 1000 || 1000) + 20);
    }

    buttons.forEach(function (b) {
      b.addEventListener("click", function () {
        memory = Date.now();
        writeStart(id, memory);
        shown = "running";
        update();
        stop.focus({ preventScroll: true });
      });
    });
    stop.addEventListener("click", function () {
      memory = null;
      writeStart(id, null);
      update();
      if (buttons[0]) buttons[0].focus({ preventScroll: true });
    });
    document.addEventListener("visibilitychange", function () {
      if (!document.hidden) update();
    });
    global.addEventListener("pageshow", update);
    global.addEventListener("storage", function (e) {
      if (e.key === null || e.key === storageKey(id)) update();
    });
    update();
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll(".timer-bar[data-timer]"), setUp);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})(this);
