// Small progressive enhancements; every page works without them.
document.addEventListener("DOMContentLoaded", () => {
  // Check each field as the person goes (required, e-mail, NIK pattern, lengths), not only on submit.
  // The server checks everything again; this only says it earlier, in the browser's own words.
  const live = (el) => {
    if (!el.willValidate || el.type === "hidden" || el.type === "file") return;
    const ok = el.checkValidity();
    el.classList.toggle("is-invalid", !ok);
    let note = el.parentElement.querySelector(".live-feedback");
    if (!ok) {
      if (!note) {
        note = document.createElement("div");
        note.className = "invalid-feedback live-feedback";
        el.insertAdjacentElement("afterend", note);
      }
      note.textContent = el.title && el.validity.patternMismatch ? el.title : el.validationMessage;
    } else if (note) {
      note.remove();
    }
  };
  document.querySelectorAll("form[method=post] input, form[method=post] select, form[method=post] textarea").forEach((el) => {
    el.addEventListener("blur", () => live(el));
    el.addEventListener("input", () => { if (el.classList.contains("is-invalid")) live(el); });
  });
  // Selects that apply at once (the language chooser).
  document.querySelectorAll("select[data-autosubmit]").forEach((el) => {
    el.addEventListener("change", () => el.form.submit());
  });
  // Ask before acts that cannot be undone.
  document.querySelectorAll("[data-confirm]").forEach((el) => {
    el.addEventListener("click", (ev) => { if (!window.confirm(el.dataset.confirm)) ev.preventDefault(); });
  });
  // A wide table that scrolls inside its box (on a phone) must be reachable with the keyboard too.
  const scrollable = (box) => {
    if (box.scrollWidth > box.clientWidth + 1) box.setAttribute("tabindex", "0");
    else box.removeAttribute("tabindex");
  };
  const boxes = document.querySelectorAll(".table-responsive");
  boxes.forEach(scrollable);
  if (window.ResizeObserver) {  // also once fonts have loaded, a hidden section opens, or the phone turns
    const watch = new ResizeObserver((entries) => entries.forEach((e) => scrollable(e.target)));
    boxes.forEach((box) => watch.observe(box));
  }
});
