// Copy buttons for citations: a button.telcoai-copy copies the text of the element named by its
// data-copy-target (a text citation or a BibTeX block) to the clipboard.
(function () {
  "use strict";

  function fallbackCopy(text) {
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.appendChild(area);
    area.select();
    var done = false;
    try { done = document.execCommand("copy"); } catch (error) { done = false; }
    document.body.removeChild(area);
    return done ? Promise.resolve() : Promise.reject(new Error("copy failed"));
  }

  function copy(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text).catch(function () { return fallbackCopy(text); });
    }
    return fallbackCopy(text);
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("button.telcoai-copy");
    if (!button) { return; }
    var source = document.getElementById(button.dataset.copyTarget);
    if (!source) { return; }
    var label = button.dataset.label || button.textContent;
    button.dataset.label = label;
    copy(source.textContent.trim()).then(function () {
      button.textContent = "Copied";
    }, function () {
      button.textContent = "Select and copy";
    });
    window.setTimeout(function () { button.textContent = label; }, 2000);
  });
})();
