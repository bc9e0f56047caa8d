// Draws a run's timeline (a Gantt chart) as SVG: a row per block and item, a bar per stretch it spent queued,
// running, waiting or waiting to retry, on one time axis from the run's first stretch to its end (or now).
import { duration, svg, time } from "./format.js";

const LABEL = 180, ROW = 22, WIDTH = 900;

export function drawTimeline(segments) {
  const keys = [...new Set(segments.map((s) => s.block))];
  const start = Math.min(...segments.map((s) => Date.parse(s.from)));
  const end = Math.max(...segments.map((s) => (s.to ? Date.parse(s.to) : Date.now())), start + 1);
  const scale = (t) => LABEL + ((t - start) / (end - start)) * (WIDTH - LABEL - 10);
  const height = keys.length * ROW + 24;
  const root = svg("svg", { viewBox: `0 0 ${WIDTH} ${height}`, width: WIDTH, height, role: "img", "aria-label": "Timeline of every attempt of every block", class: "timeline" });
  keys.forEach((key, row) => {
    root.append(svg("text", { x: 4, y: row * ROW + 15, class: "label" }, key.length > 24 ? `${key.slice(0, 23)}…` : key));
  });
  for (const s of segments) {
    const row = keys.indexOf(s.block);
    const from = Date.parse(s.from);
    const to = s.to ? Date.parse(s.to) : Date.now();
    const bar = svg("rect", { x: scale(from), y: row * ROW + 4, width: Math.max(2, scale(to) - scale(from)), height: ROW - 8, rx: 2, class: `bar b-${s.kind} o-${s.outcome ?? "open"}` });
    bar.append(svg("title", {}, `${s.block} attempt ${s.attempt}: ${s.kind.replaceAll("_", " ")}${s.detail ? ` (${s.detail})` : ""}, ${duration(s.from, s.to)}${s.outcome ? ` → ${s.outcome.replaceAll("_", " ")}` : ""}; from ${time(s.from)}`));
    root.append(bar);
  }
  root.append(svg("text", { x: LABEL, y: height - 4, class: "axis" }, time(new Date(start).toISOString())));
  root.append(svg("text", { x: WIDTH - 10, y: height - 4, class: "axis", "text-anchor": "end" }, `+${duration(new Date(start).toISOString(), new Date(end).toISOString())}`));
  return root;
}
