// tuiding web app: progressive enhancement only; every form works without this file.
// 1. Drag and drop files onto a form with class "dropzone": they go into its file input.
// 2. Buttons with data-confirm ask before submitting.
// 3. Buttons with data-copy="ID" copy the text of element ID to the clipboard.
// 4. While the server reads a screenshot's text (an element with data-reading), the page
//    reloads every two seconds until the text is there (not once the user types in a form).
document.addEventListener("DOMContentLoaded", () => {
  for (const zone of document.querySelectorAll("form.dropzone")) {
    const input = zone.querySelector("input[type=file]");
    if (!input) continue;
    zone.addEventListener("dragover", (e) => { e.preventDefault(); zone.classList.add("dragging"); });
    zone.addEventListener("dragleave", () => zone.classList.remove("dragging"));
    zone.addEventListener("drop", (e) => {
      e.preventDefault();
      zone.classList.remove("dragging");
      if (!e.dataTransfer || e.dataTransfer.files.length === 0) return;
      const files = new DataTransfer();
      for (const f of input.multiple ? e.dataTransfer.files : [e.dataTransfer.files[0]]) files.items.add(f);
      input.files = files.files;
      input.dispatchEvent(new Event("change"));
    });
  }
  for (const button of document.querySelectorAll("button[data-copy]")) {
    button.addEventListener("click", async () => {
      const source = document.getElementById(button.dataset.copy);
      if (!source) return;
      const text = source.value !== undefined ? source.value : source.textContent;
      try {
        await navigator.clipboard.writeText(text);
      } catch {
        source.select();
        document.execCommand("copy");
      }
      button.dataset.copied = "1";
      const label = button.textContent;
      button.textContent = "✓";
      setTimeout(() => { button.textContent = label; }, 1500);
    });
  }
  if (document.querySelector("[data-reading]")) {
    // Not while the user is typing into a form: a reload would throw the text away.
    let typing = false;
    document.addEventListener("input", () => { typing = true; });
    setTimeout(() => { if (!typing) window.location.reload(); }, 2000);
  }
  for (const button of document.querySelectorAll("button[data-confirm]")) {
    button.addEventListener("click", (e) => {
      if (!window.confirm(button.dataset.confirm)) e.preventDefault();
    });
  }
});
