// One run: its status, parameters (secret ones come masked from the API) and trigger; every block and fan-out item
// with its status, kept current by the run's event stream; its actions (cancel, retry, retry on the files as they are
// now, approve or signal what it waits for); its logs with a level filter and a search; and previews of outputs.
import { get, post, may } from "../api.js";
import { drawGraph } from "../graph.js";
import { drawTimeline } from "../timeline.js";
import { el, fill, status, time, duration, errorBox, runLink, head, runStatus } from "../format.js";

const LEVELS = ["debug", "information", "warning", "error"];

export async function render(main, [runId], signal) {
  const base = `/api/runs/${encodeURIComponent(runId)}`;
  const head = el("div");
  const actions = el("div", { class: "actions" });
  const graph = el("div", { class: "scroll-x", id: "run-graph" });
  const timeline = el("div", { class: "scroll-x", id: "run-timeline" });
  const blocks = el("div");
  const output = el("div");
  const logs = el("div");
  main.append(el("h1", { text: `Run ${runId}` }), head, actions, el("h2", { text: "Graph" }), graph, el("h2", { text: "Timeline" }), timeline,
    el("h2", { text: "Blocks" }), blocks, output, el("h2", { text: "Logs" }), logs);

  // The timeline is read again at most every two seconds while the run moves: one read for many quick changes.
  let timelineDue = null;
  let timelineRead = 0;
  const redrawTimeline = () => {
    if (timelineDue) return;
    timelineDue = setTimeout(async () => {
      timelineDue = null;
      timelineRead = Date.now();
      if (signal.aborted) return;
      const found = await get(`${base}/timeline`).catch(() => null);
      if (found && !signal.aborted) timeline.replaceChildren(found.items.length ? drawTimeline(found.items) : el("p", { class: "muted", text: "Nothing has run yet." }));
    }, Math.max(0, timelineRead + 2000 - Date.now()));
  };

  const operate = await may("operate");
  const ended = (run) => ["succeeded", "failed", "cancelled"].includes(run.status);
  let stream = null;
  const draw = (run) => {
    graph.replaceChildren(drawGraph(run));
    redrawTimeline();
    drawHead(head, run);
    if (operate) drawActions(actions, run, base, refresh);
    drawBlocks(blocks, run, base, output);
  };

  // The run's event stream while it goes on; opened again when an action (a retry) sets an ended run going.
  const follow = (run) => {
    if (stream || ended(run) || signal.aborted) return;
    stream = new EventSource(`${base}/stream`);
    stream.addEventListener("run", (event) => {
      const next = JSON.parse(event.data);
      draw(next);
      if (ended(next)) {
        stream.close();
        stream = null;
        drawLogs(logs, base).catch(() => {});
        // The end's alerts are sent after it is committed, so the stream never shows them: read the run once more.
        setTimeout(() => { if (!signal.aborted) refresh().catch(() => {}); }, 3000);
      }
    });
  };
  async function refresh() {
    const run = await get(base);
    if (signal.aborted) return;
    draw(run);
    follow(run);
  }
  signal.addEventListener("abort", () => { stream?.close(); clearTimeout(timelineDue); });

  const first = await get(base);
  if (signal.aborted) return;
  draw(first);
  follow(first);
  await drawLogs(logs, base);
}

function drawHead(head, run) {
  const rows = [
    ["Status", runStatus(run)],
    ["Pipeline", el("a", { href: `/pipelines/${encodeURIComponent(run.pipeline)}`, text: run.pipeline })],
    ["Trigger", run.trigger],
    ["Runtime", run.runtime],
    ["Requested", time(run.requested_at)],
    ["Duration", duration(run.started_at, run.ended_at)],
  ];
  if (run.error) rows.push(["Error", el("span", { class: "error", text: run.error })]);
  if (run.parent) rows.push(["Parent", runLink(run.parent.run_id)]);
  if (run.slas_missed?.length) rows.push(["SLA missed", el("span", { class: "error", text: run.slas_missed.join(", ") })]);
  fill(head,
    el("div", { class: "kv", id: "run-summary" }, rows.flatMap(([k, v]) => [el("span", { class: "muted", text: k }), el("span", {}, v)])),
    Object.keys(run.parameters ?? {}).length === 0 ? null : el("div", {}, el("h2", { text: "Parameters" }), el("pre", { text: JSON.stringify(run.parameters, null, 2) })),
    run.waits.length === 0 ? null : el("div", { class: "panel" }, el("strong", { text: "Waiting: " }),
      run.waits.map((w) => el("div", { text: `${w.block} waits for ${w.waiting.for}${w.waiting.signal ? ` '${w.waiting.signal}'` : ""}${w.waiting.limit ? ` '${w.waiting.limit}'` : ""} since ${time(w.waiting.since)}${w.waiting.until ? `, until ${time(w.waiting.until)}` : ""}` }))),
    drawAlerts(run.alerts ?? []));
}

// The alerts sent for the run and how each delivery went; a failed one is marked, since nobody heard of that event.
function drawAlerts(alerts) {
  if (alerts.length === 0) return null;
  const rows = alerts.map((a) => el("tr", {},
    el("td", { text: a.event + (a.block ? ` (${a.block})` : "") }),
    el("td", { text: a.destination }),
    el("td", {}, el("span", { class: a.status === "failed" ? "error" : a.status === "delivered" ? "" : "muted", text: a.status })),
    el("td", { text: String(a.attempts) }),
    el("td", { text: a.detail }),
    el("td", { text: time(a.at) })));
  return el("div", { id: "run-alerts" }, el("h2", { text: "Alerts" }),
    el("table", {}, el("thead", {}, el("tr", {}, ["Event", "Sent to", "Delivery", "Attempts", "Last answer", "At"].map((h) => el("th", { text: h })))), el("tbody", {}, rows)));
}

function drawActions(actions, run, base, refresh) {
  const problem = el("div");
  const act = (label, path, body) => el("button", {
    type: "button", text: label,
    onclick: async (event) => {
      event.target.disabled = true;
      problem.replaceChildren();
      try {
        await post(`${base}/${path}`, body);
        await refresh();
      } catch (error) { problem.append(errorBox(error)); event.target.disabled = false; }
    },
  });
  const buttons = [];
  if (["pending", "running"].includes(run.status)) buttons.push(act("Cancel", "cancel"));
  if (["failed", "cancelled"].includes(run.status)) buttons.push(act("Retry", "retry"), act("Retry with refreshed code", "retry", { refresh: true }));
  for (const wait of run.waits.filter((w) => w.waiting.for === "wait.signal" || w.waiting.for === "wait.approval")) {
    const name = wait.waiting.signal;
    if (wait.waiting.for === "wait.approval") {
      const comment = el("input", { type: "text", "aria-label": `Comment on approval ${name}`, placeholder: "comment" });
      buttons.push(el("span", { class: "actions" }, comment,
        el("button", { type: "button", text: `Approve ${name}`, onclick: decide(base, name, true, comment, problem) }),
        el("button", { type: "button", text: `Reject ${name}`, onclick: decide(base, name, false, comment, problem) })));
    } else {
      const data = el("input", { type: "text", "aria-label": `Data for signal ${name}`, placeholder: "{ } JSON data" });
      const send = el("button", { type: "button", text: `Send signal ${name}` });
      send.onclick = async () => {
        problem.replaceChildren();
        try { await post(`${base}/signals/${encodeURIComponent(name)}`, data.value ? JSON.parse(data.value) : {}); } catch (error) { problem.append(errorBox(error)); }
      };
      buttons.push(el("span", { class: "actions" }, data, send));
    }
  }
  actions.replaceChildren(...buttons, problem);
}

function decide(base, name, approved, comment, problem) {
  return async () => {
    problem.replaceChildren();
    try { await post(`${base}/signals/${encodeURIComponent(name)}`, { approved, comment: comment.value || undefined }); } catch (error) { problem.append(errorBox(error)); }
  };
}

function drawBlocks(blocks, run, base, output) {
  blocks.replaceChildren(el("table", { "aria-label": "Blocks" },
    head("block", "status", "attempt", "started", "duration", "error", "output"),
    el("tbody", {}, run.blocks.map((b) => el("tr", { "data-block": b.name },
      el("td", { text: b.name }),
      // A cached block names the run that computed its output.
      el("td", {}, status(b.status), b.cached_from ? el("div", { class: "muted" }, "from ", runLink(b.cached_from)) : null),
      el("td", { text: b.attempt }),
      el("td", { text: time(b.started_at) }), el("td", { text: duration(b.started_at, b.ended_at) }),
      el("td", { class: "error", text: b.error ?? "" }),
      el("td", {}, b.output ? el("button", { type: "button", text: "Preview", "aria-label": `Preview the output of ${b.name}`, onclick: () => preview(base, b.name, output) }) : null))))));
}

async function preview(base, block, output) {
  output.replaceChildren(el("h2", { text: `Output of ${block}` }), el("p", { class: "muted", text: "Loading…" }));
  try {
    const shown = await get(`${base}/outputs/${encodeURIComponent(block)}?rows=100`);
    const body = shown.kind === "table"
      ? [el("p", { class: "muted", text: `${shown.row_count} rows; the first ${shown.rows_shown} shown` }),
        el("div", { class: "scroll" }, el("table", { "aria-label": `Output of ${block}` },
          el("thead", {}, el("tr", {}, shown.columns.map((c) => el("th", { scope: "col" }, c.name, el("div", { class: "muted", text: c.type }))))),
          el("tbody", {}, shown.rows.map((row) => el("tr", {}, shown.columns.map((c) => el("td", { text: row[c.name] === null ? "null" : String(row[c.name]) })))))))]
      : shown.truncated
        ? [el("p", { class: "muted", text: `${shown.bytes} bytes; the start shown` }), el("pre", { text: shown.head })]
        : [el("pre", { text: JSON.stringify(shown.value, null, 2) })];
    output.replaceChildren(el("h2", { text: `Output of ${block}` }), ...body);
  } catch (error) {
    output.replaceChildren(el("h2", { text: `Output of ${block}` }), errorBox(error));
  }
}

async function drawLogs(logs, base) {
  const level = el("select", { "aria-label": "Log level" }, LEVELS.map((l) => el("option", { value: l, text: `${l} and above`, selected: l === "information" })));
  const search = el("input", { type: "search", "aria-label": "Search the logs", placeholder: "search" });
  const lines = el("pre", { id: "log-lines" });
  const load = async () => {
    const found = await get(`${base}/logs?level=${level.value}`);
    const needle = search.value.toLowerCase();
    const shown = found.items.filter((l) => !needle || l.message.toLowerCase().includes(needle) || l.block.toLowerCase().includes(needle));
    lines.textContent = shown.length === 0 ? "No log lines." : shown.map((l) => `${time(l.at)}  ${l.block}#${l.attempt}  ${l.level}: ${l.message}`).join("\n");
  };
  level.addEventListener("change", load);
  search.addEventListener("input", load);
  logs.replaceChildren(el("div", { class: "inline actions" }, level, search), lines);
  await load();
}
