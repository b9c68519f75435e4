// tebiki: opens a figure large in a <dialog> when it is tapped or activated with the keyboard;
// Escape, a tap or the close button closes it. Without JavaScript the link simply opens the
// picture itself.
(function () {
  "use strict";
  if (typeof document === "undefined" || typeof HTMLDialogElement === "undefined") return;
  var dialog = null;
  function ensureDialog() {
    if (dialog) return dialog;
    dialog = document.createElement("dialog");
    dialog.className = "figure-dialog";
    dialog.innerHTML = '<form method="dialog"><button class="figure-dialog-close" aria-label="close">×</button></form><img alt="">';
    dialog.addEventListener("click", function (event) {
      if (event.target === dialog || event.target.tagName === "IMG") dialog.close();
    });
    document.body.appendChild(dialog);
    return dialog;
  }
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("[data-figure-zoom]");
    if (!link) return;
    event.preventDefault();
    var d = ensureDialog();
    var source = link.querySelector("img");
    var img = d.querySelector("img");
    img.src = link.getAttribute("href");
    img.alt = source ? source.alt : "";
    d.showModal();
  });
})();
