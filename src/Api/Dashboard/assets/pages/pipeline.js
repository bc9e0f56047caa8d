// A pipeline: its description, triggers (schedules with their zone and next five ticks), blocks with what they
// depend on, recent runs, and a Run form made from its parameter specs. The browser checks the form; the API checks
// again and its errors are shown beside the fields they name.
import { get, post, may, ApiError } from "../api.js";
import { el, fill, time, duration, runLink, errorBox, head, runStatus } from "../format.js";
import { navigate } from "../app.js";
import { drawGraph } from "../graph.js";

export async function render(main, [name], signal) {
  const path = `/api/pipelines/${encodeURIComponent(name)}`;
  const [pipeline, schedules, recent, operate] = await Promise.all([
    get(path), get("/api/schedules"), get(`/api/runs?pipeline=${encodeURIComponent(name)}&limit=10`), may("operate"),
  ]);
  // The graph is coloured by the last run's blocks, when there is one.
  const last = recent.items[0] ? await get(`/api/runs/${encodeURIComponent(recent.items[0].run_id)}`).catch(() => null) : null;
  if (signal.aborted) return;
  const scheduled = schedules.items.find((s) => s.pipeline === name);
  fill(main,
    el("h1", { text: pipeline.name }),
    pipeline.description ? el("p", { text: pipeline.description }) : null,
    operate ? [el("h2", { text: "Run" }), runForm(pipeline)] : null,
    el("h2", { text: "Triggers" }), triggers(pipeline, scheduled),
    el("h2", { text: "Graph" }), el("div", { class: "scroll-x", id: "pipeline-graph" }, drawGraph({
      graph: pipeline.blocks.map((b) => ({ name: b.name, upstream: b.upstream, fan_out: b.fan_out, mapped_over: null })),
      blocks: last?.blocks ?? [],
      waiting: false,
    })),
    last ? el("p", { class: "muted" }, "Coloured by the last run, ", el("a", { href: `/runs/${encodeURIComponent(last.run_id)}`, text: last.run_id }), ".") : null,
    el("h2", { text: "Blocks" }), blocks(pipeline),
    el("h2", { text: "Recent runs" }),
    recent.items.length === 0 ? el("p", { class: "muted", text: "Not run yet." }) : el("table", { "aria-label": "Recent runs" },
      head("run", "status", "trigger", "requested", "duration"),
      el("tbody", {}, recent.items.map((r) => el("tr", {},
        el("td", {}, runLink(r.run_id)), el("td", {}, runStatus(r)), el("td", { text: r.trigger }),
        el("td", { text: time(r.requested_at) }), el("td", { text: duration(r.started_at, r.ended_at) }))))));
}

function runForm(pipeline) {
  const inputs = pipeline.parameters.map((p) => [p, input(p)]);
  const problem = el("div");
  const form = el("form", { class: "panel", "aria-label": `Run ${pipeline.name}` },
    inputs.map(([p, control]) => el("label", { for: `param-${p.name}` },
      `${p.name}${p.required ? " (required)" : ""} · ${p.type}${p.secret ? " · secret" : ""}`, control,
      p.description ? el("span", { class: "muted", text: p.description }) : null,
      el("span", { class: "error", id: `error-${p.name}`, role: "alert" }))),
    inputs.length === 0 ? el("p", { class: "muted", text: "This pipeline takes no parameters." }) : null,
    el("button", { type: "submit", class: "primary", text: `Run ${pipeline.name}` }), problem);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    problem.replaceChildren();
    form.querySelectorAll("[id^='error-']").forEach((e) => { e.textContent = ""; });
    const parameters = {};
    for (const [p, control] of inputs) {
      if (control.value === "" && !control.checked) continue;
      try { parameters[p.name] = value(p, control); } catch (error) {
        form.querySelector(`#error-${CSS.escape(p.name)}`).textContent = error.message;
        return;
      }
    }
    try {
      const started = await post(`/api/pipelines/${encodeURIComponent(pipeline.name)}/runs`, { parameters });
      navigate(`/runs/${encodeURIComponent(started.run_id)}`);
    } catch (error) {
      const fields = error instanceof ApiError ? error.problem?.errors ?? [] : [];
      for (const field of fields) {
        const slot = form.querySelector(`#error-${CSS.escape(field.field)}`);
        if (slot) slot.textContent = field.message;
      }
      problem.append(errorBox(error));
    }
  });
  return form;
}

function input(p) {
  const id = `param-${p.name}`;
  const initial = p.default === null || p.default === undefined ? "" : typeof p.default === "object" ? JSON.stringify(p.default) : String(p.default);
  if (p.allowed?.length) {
    return el("select", { id, name: p.name, required: p.required },
      p.required ? null : el("option", { value: "", text: "(default)" }),
      p.allowed.map((a) => el("option", { value: String(a), text: String(a), selected: String(a) === initial })));
  }
  const types = { int: "number", number: "number", date: "date", datetime: "datetime-local", bool: "checkbox" };
  const type = p.secret ? "password" : types[p.type] ?? "text";
  const control = el("input", { id, name: p.name, type, required: p.required && type !== "checkbox", step: p.type === "number" ? "any" : p.type === "int" ? "1" : undefined });
  if (type === "checkbox") control.checked = p.default === true;
  else if (p.type === "datetime" && initial) control.value = initial.slice(0, 16);
  else control.value = initial;
  return control;
}

// The value as the API reads it: numbers as numbers, a bool as true or false, JSON parsed, the rest as text.
function value(p, control) {
  switch (p.type) {
    case "int": {
      const n = Number(control.value);
      if (!Number.isInteger(n)) throw new Error("must be a whole number");
      return n;
    }
    case "number": return Number(control.value);
    case "bool": return control.checked;
    case "json": try { return JSON.parse(control.value); } catch { throw new Error("must be JSON"); }
    case "datetime": return new Date(control.value).toISOString();
    default: return control.value;
  }
}

function triggers(pipeline, scheduled) {
  if (pipeline.triggers.length === 0) return el("p", { class: "muted", text: "No triggers: runs start by hand or through the API." });
  return el("ul", {}, pipeline.triggers.map((t) => {
    if (t.kind === "schedule") {
      const shown = scheduled?.schedules.find((s) => s.schedule === t.schedule);
      const zone = shown?.timezone ?? t.timezone ?? "the project's zone";
      return el("li", {}, t.description ? el("strong", { text: t.description }) : null,
        ` ${t.description ? `(${zone})` : `in ${zone}`}: schedule ${t.schedule}, catch-up ${t.catch_up}`,
        scheduled?.paused ? el("span", { class: "status s-waiting", text: " paused" }) : null,
        shown ? el("div", { class: "muted", text: `next: ${shown.next.map((n) => time(n, shown.timezone)).join(" · ")}` }) : null);
    }
    if (t.kind === "blob_created") return el("li", { text: `blob created in ${t.container}${t.prefix ? ` under ${t.prefix}` : ""}${t.suffix ? ` ending ${t.suffix}` : ""}` });
    return el("li", { text: t.kind === "http" ? `HTTP ${t.enabled ? "on" : "off"}` : t.kind });
  }));
}

function blocks(pipeline) {
  return el("table", { "aria-label": "Blocks" },
    head("level", "block", "uses", "after"),
    el("tbody", {}, pipeline.blocks.map((b) => el("tr", {},
      el("td", { text: b.level }), el("td", { text: `${b.name}${b.fan_out ? " (fan-out)" : ""}` }),
      el("td", { text: b.uses }), el("td", { text: b.upstream.join(", ") || "—" })))));
}
