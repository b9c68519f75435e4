// tebiki: opens a figure large in a <dialog> when it is tapped or activated with the keyboard,
// with its annotations: the picture and its overlay are copied into the dialog, and the
// picture's largest variant is loaded (sizes = the dialog's width). Escape, a tap or the close
// button closes it. Without JavaScript the link opens the picture with its annotations drawn in.
(function () {
  "use strict";
  if (typeof document === "undefined" || typeof HTMLDialogElement === "undefined") return;
  var dialog = null;
  function ensureDialog() {
    if (dialog) return dialog;
    dialog = document.createElement("dialog");
    dialog.className = "figure-dialog";
    dialog.innerHTML = '<form method="dialog"><button class="figure-dialog-close" aria-label="close">×</button></form><div class="figure-dialog-body"></div>';
    dialog.addEventListener("click", function (event) {
      if (event.target === dialog || (event.target.closest && event.target.closest(".figure-frame"))) dialog.close();
    });
    document.body.appendChild(dialog);
    return dialog;
  }
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("[data-figure-zoom]");
    if (!link) return;
    var frame = link.querySelector(".figure-frame");
    if (!frame) return;
    event.preventDefault();
    var d = ensureDialog();
    var copy = frame.cloneNode(true);
    var figure = link.closest("figure");
    if (figure) {
      copy.style.cssText = figure.style.cssText;
      if (figure.classList.contains("figure-portrait")) copy.classList.add("figure-frame-portrait");
    }
    var img = copy.querySelector("img");
    if (img) {
      img.loading = "eager";
      if (img.srcset) img.sizes = "96vw";
    }
    var body = d.querySelector(".figure-dialog-body");
    body.replaceChildren(copy);
    d.showModal();
  });
})();
