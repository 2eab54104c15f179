// The import page: while a large file is checked and written, say so (the page is busy for
// up to a few seconds per thousand rows). No inline script or style: the CSP forbids them.
const form = document.querySelector("form[data-import-form]");
const status = document.getElementById("import-progress");
if (form && status) {
  form.addEventListener("submit", () => {
    const input = form.querySelector("input[type=file]");
    const file = input && input.files && input.files[0];
    const size = file ? ` (${Math.max(1, Math.round(file.size / 1024))} KB)` : "";
    status.textContent = `Checking and importing your file${size}. Large files take a little while: keep this page open.`;
    status.classList.remove("govuk-visually-hidden");
    status.classList.add("govuk-inset-text");
  });
}
