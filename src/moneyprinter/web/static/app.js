// Progressive enhancement only: every page works without this file.
"use strict";

// A form with data-confirm asks before it is sent (removing things, suppressing addresses).
document.addEventListener("submit", (event) => {
  const form = event.target;
  const question = form.dataset ? form.dataset.confirm : null;
  if (question && !window.confirm(question)) event.preventDefault();
});

document.addEventListener("click", (event) => {
  const back = event.target.closest("[data-back]");
  if (back && window.history.length > 1) { event.preventDefault(); window.history.back(); }
});

// Live progress of a Short: the page lists its events from a Server-Sent Events stream. After a
// reload the stream starts again from the first event, so the list is complete again.
function followTask(box) {
  const list = box.querySelector("[data-events]");
  const stage = box.querySelector("[data-stage]");
  const bar = box.querySelector("progress");
  const status = box.querySelector("[data-status]");
  const result = box.querySelector("[data-result]");
  const source = new EventSource(box.dataset.stream);
  source.addEventListener("progress", (msg) => {
    const data = JSON.parse(msg.data);
    const item = document.createElement("li");
    item.textContent = data.stage + (data.message ? ": " + data.message : "");
    list.appendChild(item);
    if (stage) stage.textContent = data.stage;
    if (bar && typeof data.progress === "number") bar.value = data.progress;
  });
  source.addEventListener("end", (msg) => {
    const data = JSON.parse(msg.data);
    if (status) { status.textContent = data.status; status.className = "badge badge-" + data.status; }
    if (bar && data.status === "done") bar.value = 1;
    if (result && data.item_url) { result.href = data.item_url; result.hidden = false; }
    if (result && data.error) { result.textContent = data.error; result.hidden = false; result.removeAttribute("href"); }
    source.close();
  });
}

document.querySelectorAll("[data-stream]").forEach(followTask);
