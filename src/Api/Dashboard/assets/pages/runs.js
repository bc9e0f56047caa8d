// Runs: filters by pipeline, status and requested time; pages through any number of runs with the API's cursor
// (never loading them all); refreshed every few seconds while on the first page. Old finished runs can be purged:
// counted first, then purged with the same settings, as `duraflow runs purge --dry-run` and then without it.
import { get, post, may } from "../api.js";
import { el, fill, every, time, duration, runLink, head, runStatus, errorBox } from "../format.js";
import { navigate } from "../app.js";

const STATUSES = ["", "pending", "running", "waiting", "succeeded", "failed", "cancelling", "cancelled"];

export async function render(main, _, signal) {
  const query = new URLSearchParams(location.search);
  const pipelines = (await get("/api/pipelines")).items.map((p) => p.name);
  const field = (name, control) => el("label", {}, name, control);
  const pipeline = el("select", { name: "pipeline" }, ["", ...pipelines].map((p) => el("option", { value: p, text: p || "all", selected: p === (query.get("pipeline") ?? "") })));
  const state = el("select", { name: "status" }, STATUSES.map((s) => el("option", { value: s, text: s || "all", selected: s === (query.get("status") ?? "") })));
  const from = el("input", { type: "datetime-local", name: "from", value: local(query.get("from")) });
  const to = el("input", { type: "datetime-local", name: "to", value: local(query.get("to")) });
  const form = el("form", { class: "inline", role: "search" },
    field("Pipeline", pipeline), field("Status", state), field("Requested from", from), field("Requested before", to),
    el("button", { type: "submit", class: "primary", text: "Filter" }));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const next = new URLSearchParams();
    if (pipeline.value) next.set("pipeline", pipeline.value);
    if (state.value) next.set("status", state.value);
    if (from.value) next.set("from", new Date(from.value).toISOString());
    if (to.value) next.set("to", new Date(to.value).toISOString());
    navigate(`/runs${next.size ? `?${next}` : ""}`);
  });
  const table = el("div");
  const administer = await may("administer");
  main.append(el("h1", { text: "Runs" }), form, table, administer ? purgePanel(pipelines, query.get("pipeline") ?? "", () => draw(table, query)) : null);
  await draw(table, query);
  if (!query.get("cursor")) every(5, signal, () => draw(table, query));
}

async function draw(table, query) {
  const api = new URLSearchParams(query);
  api.set("limit", "50");
  const page = await get(`/api/runs?${api}`);
  const older = new URLSearchParams(query);
  if (page.next_cursor) older.set("cursor", page.next_cursor);
  fill(table,
    page.items.length === 0 ? el("p", { class: "muted", text: "No run matches." }) : el("table", { "aria-label": "Runs" },
      head("run", "pipeline", "status", "trigger", "requested", "duration"),
      el("tbody", {}, page.items.map((r) => el("tr", {},
        el("td", {}, runLink(r.run_id)), el("td", { text: r.pipeline }), el("td", {}, runStatus(r)),
        el("td", { text: r.trigger }), el("td", { text: time(r.requested_at) }), el("td", { text: duration(r.started_at, r.ended_at) }))))),
    el("p", { class: "actions" },
      query.get("cursor") ? el("a", { href: "/runs", text: "Newest runs" }) : null,
      page.next_cursor ? el("a", { href: `/runs?${older}`, text: "Older runs" }) : null));
}

function purgePanel(pipelines, selected, redraw) {
  const age = el("input", { name: "older_than", id: "purge-age", value: "30d", required: true, title: "a duration such as 30d, 12h or 1d12h" });
  const pipeline = el("select", { name: "purge_pipeline", id: "purge-pipeline" }, ["", ...pipelines].map((p) => el("option", { value: p, text: p || "all", selected: p === selected })));
  const count = el("button", { type: "submit", class: "primary", text: "Count" });
  const purge = el("button", { type: "button", class: "danger", text: "Purge", disabled: true });
  const outcome = el("div", { role: "status" });
  const body = () => ({ older_than: age.value.trim(), ...(pipeline.value ? { pipeline: pipeline.value } : {}) });
  let counted = null;
  const reset = () => { counted = null; purge.disabled = true; };
  age.addEventListener("input", reset);
  pipeline.addEventListener("change", reset);
  const form = el("form", { class: "inline", "aria-label": "Purge old runs" },
    el("label", { for: "purge-age" }, "Ended more than", age),
    el("label", { for: "purge-pipeline" }, "Pipeline", pipeline),
    count, purge);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    reset();
    try {
      const answer = await post("/api/runs/purge", { ...body(), dry_run: true });
      counted = JSON.stringify(body());
      purge.disabled = answer.matched === 0;
      fill(outcome, el("p", { text: `${answer.matched} finished ${answer.matched === 1 ? "run" : "runs"} ended before ${time(answer.ended_before)} would be purged, with their logs and outputs, for good.` }));
    } catch (error) {
      fill(outcome, errorBox(error));
    }
  });
  purge.addEventListener("click", async () => {
    if (counted !== JSON.stringify(body())) return;
    reset();
    try {
      const answer = await post("/api/runs/purge", body());
      fill(outcome, el("p", { text: `Purged ${answer.purged} ${answer.purged === 1 ? "run" : "runs"}.`
        + (answer.kept ? ` Kept ${answer.kept}: ${answer.kept_because}.` : "")
        + (answer.more ? " More remain: count and purge again." : "") }));
      await redraw();
    } catch (error) {
      fill(outcome, errorBox(error));
    }
  });
  return el("details", { class: "panel" }, el("summary", { text: "Purge old runs" }), form, outcome);
}

// An ISO time as a datetime-local input's value, in the browser's zone.
function local(iso) {
  if (!iso) return undefined;
  const date = new Date(iso);
  return new Date(date.getTime() - date.getTimezoneOffset() * 60000).toISOString().slice(0, 16);
}
