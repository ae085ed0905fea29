// The document page's corrections: send what changed as PATCH /api/documents/{id}, then reload.
// A JSON PATCH cannot be sent by another site's form, so no CSRF token is needed for it.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const form = document.getElementById("correct");
  if (!form) return;
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const fields = {};
    for (const input of form.querySelectorAll("input[data-field]")) {
      if (input.value.trim() !== input.defaultValue.trim()) fields[input.dataset.field] = input.value.trim();
    }
    const verified = form.querySelector("#verified").checked;
    const status = document.getElementById("correct-status");
    const answer = await fetch(form.dataset.url, {
      method: "PATCH", credentials: "same-origin",
      headers: {"Content-Type": "application/json",
                "X-CSRF-Token": document.querySelector('meta[name="csrf-token"]').content},
      body: JSON.stringify({fields, verified}),
    });
    if (answer.ok) {
      status.textContent = "Đã lưu.";
      window.location.reload();
    } else {
      const body = await answer.json().catch(() => ({}));
      status.textContent = "Không lưu được: " + JSON.stringify(body.detail || answer.status);
    }
  });
});
