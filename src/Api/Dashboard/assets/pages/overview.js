// The overview: each pipeline with its last run, its success rate over its recent runs and its next scheduled run
// (pause and resume here); then the runs in progress. Refreshed every few seconds while open.
import { get, post, may } from "../api.js";
import { el, fill, every, time, runLink, duration, head, runStatus } from "../format.js";

const RECENT = 20;

export async function render(main, _, signal) {
  main.append(el("h1", { text: "Overview" }));
  const body = el("div");
  main.append(body);
  await draw(body);
  every(5, signal, () => draw(body));
}

async function draw(body) {
  const [pipelines, schedules, running, operate] = await Promise.all([
    get("/api/pipelines"), get("/api/schedules"), get("/api/runs?status=running&limit=50"), may("operate"),
  ]);
  const byName = new Map(schedules.items.map((s) => [s.pipeline, s]));
  const rows = await Promise.all(pipelines.items.map(async (p) => {
    const recent = (await get(`/api/runs?pipeline=${encodeURIComponent(p.name)}&limit=${RECENT}`)).items;
    return pipelineRow(p, recent, byName.get(p.name), operate, () => draw(body));
  }));
  fill(body,
    el("h2", { text: "Pipelines" }),
    el("table", { "aria-label": "Pipelines" },
      head("pipeline", "last run", "success (recent runs)", "next scheduled", "schedules"),
      el("tbody", {}, rows)),
    el("h2", { text: "In progress" }),
    running.items.length === 0
      ? el("p", { class: "muted", text: "No run is in progress." })
      : el("table", { "aria-label": "Runs in progress" },
        head("run", "pipeline", "status", "started", "for"),
        el("tbody", {}, running.items.map((r) => el("tr", {},
          el("td", {}, runLink(r.run_id)), el("td", { text: r.pipeline }),
          el("td", {}, runStatus(r)), el("td", { text: time(r.started_at) }),
          el("td", { text: duration(r.started_at, null) }))))));
}

function pipelineRow(pipeline, recent, schedules, operate, redraw) {
  const finished = recent.filter((r) => ["succeeded", "failed", "cancelled"].includes(r.status));
  const rate = finished.length === 0 ? "—" : `${Math.round(100 * finished.filter((r) => r.status === "succeeded").length / finished.length)} % of ${finished.length}`;
  const last = recent[0];
  const next = schedules?.schedules.flatMap((s) => s.next.slice(0, 1).map((t) => ({ t, zone: s.timezone }))).sort((a, b) => a.t.localeCompare(b.t))[0];
  let control = el("span", { class: "muted", text: "none" });
  if (schedules) {
    const paused = schedules.paused;
    const button = el("button", {
      type: "button",
      text: paused ? "Resume" : "Pause",
      "aria-label": `${paused ? "Resume" : "Pause"} the schedules of ${pipeline.name}`,
      onclick: async () => {
        button.disabled = true;
        await post(`/api/pipelines/${encodeURIComponent(pipeline.name)}/schedules/${paused ? "resume" : "pause"}`);
        await redraw();
      },
    });
    control = el("span", {}, paused ? el("span", { class: "status s-waiting", text: "paused" }) : el("span", { class: "status s-succeeded", text: "active" }), " ", operate ? button : null);
  }
  return el("tr", { "data-pipeline": pipeline.name },
    el("td", {}, el("a", { href: `/pipelines/${encodeURIComponent(pipeline.name)}`, text: pipeline.name }), pipeline.valid ? null : el("span", { class: "error", text: " (invalid)" })),
    el("td", {}, last ? [runStatus(last), " ", runLink(last.run_id)] : el("span", { class: "muted", text: "never run" })),
    el("td", { text: rate }),
    el("td", { text: next ? `${time(next.t, next.zone)} (${next.zone})` : "—" }),
    el("td", {}, control));
}
