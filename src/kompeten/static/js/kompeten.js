// Small progressive enhancements; every page works without them.
document.addEventListener("DOMContentLoaded", () => {
  // Check required fields as the person goes, not only on submit.
  document.querySelectorAll("form[data-live-validate] input, form[data-live-validate] select, form[data-live-validate] textarea").forEach((el) => {
    el.addEventListener("blur", () => {
      if (el.willValidate) el.classList.toggle("is-invalid", !el.checkValidity());
    });
  });
  // Selects that apply at once (the language chooser).
  document.querySelectorAll("select[data-autosubmit]").forEach((el) => {
    el.addEventListener("change", () => el.form.submit());
  });
  // Ask before acts that cannot be undone.
  document.querySelectorAll("[data-confirm]").forEach((el) => {
    el.addEventListener("click", (ev) => { if (!window.confirm(el.dataset.confirm)) ev.preventDefault(); });
  });
});
