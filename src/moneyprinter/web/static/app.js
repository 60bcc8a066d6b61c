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

// Live progress of a Short: the page lists the stages stored so far; the stream sends the ones after
// them (and the browser resumes with Last-Event-ID if the connection drops).
function followTask(box) {
  const list = box.querySelector("[data-events]");
  const stage = box.querySelector("[data-stage]");
  const bar = box.querySelector("progress");
  const status = box.querySelector("[data-status]");
  const result = box.querySelector("[data-result]");
  const error = box.querySelector("[data-error]");
  const source = new EventSource(box.dataset.stream);
  source.addEventListener("progress", (msg) => {
    const data = JSON.parse(msg.data);
    const item = document.createElement("li");
    item.textContent = [data.stage, data.message].filter(Boolean).join(": ");
    list.appendChild(item);
    if (stage && data.stage) stage.textContent = data.stage;
    if (bar && typeof data.progress === "number") bar.value = data.progress;
  });
  source.addEventListener("end", (msg) => {
    const data = JSON.parse(msg.data);
    source.close();
    if (status) { status.textContent = data.status; status.className = "badge badge-" + data.status; }
    if (bar && data.status === "done") bar.value = 1;
    if (result && data.item_url) { result.href = data.item_url; result.hidden = false; }
    if (error && data.error) {
      error.querySelector("[data-error-text]").textContent = data.error;
      error.querySelector("[data-error-hint]").textContent = data.hint || "";
      error.hidden = false;
    }
  });
}

document.querySelectorAll("[data-stream]").forEach(followTask);

// The add-account form offers only the publishers of the chosen network (the server checks it anyway).
document.querySelectorAll("select[data-publishers-of]").forEach((publisher) => {
  const network = document.getElementById(publisher.dataset.publishersOf);
  const offer = () => {
    for (const option of publisher.options) {
      option.hidden = option.disabled = !option.dataset.platforms.split(" ").includes(network.value);
    }
    if (publisher.selectedOptions[0] && publisher.selectedOptions[0].disabled) publisher.value = "outbox";
  };
  network.addEventListener("change", offer);
  offer();
});

// A group's form greys the destinations that cannot take a ticked member's content, with why, as the
// members are ticked (the server greys them the same way when it renders the form, and checks it anyway).
document.querySelectorAll("fieldset[data-members]").forEach((destinations) => {
  const members = document.getElementById(destinations.dataset.members);
  const grey = () => {
    const chosen = [...members.querySelectorAll("input:checked")].map((box) => box.value);
    for (const box of destinations.querySelectorAll("input[data-refusals]")) {
      const refusals = JSON.parse(box.dataset.refusals);
      const why = chosen.map((member) => refusals[member]).find(Boolean) || "";
      box.disabled = Boolean(why) && !box.checked;  // one chosen anyway stays, so it can be unticked
      box.closest("label").classList.toggle("disabled", box.disabled);
      box.closest("label").querySelector(".why").textContent = why;
    }
  };
  members.addEventListener("change", grey);
});
