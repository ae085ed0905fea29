// The document page's corrections: send what changed as PATCH /api/documents/{id}, then reload.
// A JSON PATCH cannot be sent by another site's form, so no CSRF token is needed for it.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const form = document.getElementById("correct");
  if (!form) return;
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const fields = {};
    for (const input of form.querySelectorAll("[data-field]")) {
      if (input.value.trim() !== input.dataset.initial.trim()) fields[input.dataset.field] = input.value.trim();
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
      const detail = body.detail || answer.status;
      // Our own messages are a list of sentences; FastAPI's checks are objects with a "msg".
      const lines = Array.isArray(detail) ? detail.map((d) => (typeof d === "string" ? d : d.msg)) : [String(detail)];
      status.textContent = "Không lưu được: " + lines.join("; ");
    }
  });
});
