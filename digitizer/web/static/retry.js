// The failures page: "Thử lại" queues a failed file again, then the page reloads.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  for (const button of document.querySelectorAll("button.retry")) {
    button.addEventListener("click", async () => {
      const answer = await fetch(button.dataset.url, {
        method: "POST", credentials: "same-origin",
        headers: {"X-CSRF-Token": document.querySelector('meta[name="csrf-token"]').content},
      });
      const body = await answer.json().catch(() => ({}));
      button.textContent = answer.ok ? "Đã xếp hàng" : "Không thử lại được: " + (body.detail || answer.status);
      button.disabled = true;
    });
  }
});
