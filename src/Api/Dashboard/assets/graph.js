// Draws a run's graph as SVG: blocks in columns by level (the longest path of upstream blocks before them), each
// coloured by its status, with an edge from each upstream block. A block that runs per item shows how many of its
// items succeeded. The layout is computed here from the plan's graph, so no layout library is needed.
import { svg } from "./format.js";
const W = 170, H = 40, GAP_X = 60, GAP_Y = 18;

function levels(graph) {
  const byName = new Map(graph.map((b) => [b.name, b]));
  const level = new Map();
  const of = (name, seen = new Set()) => {
    if (level.has(name)) return level.get(name);
    if (seen.has(name)) return 0;
    seen.add(name);
    const upstream = byName.get(name)?.upstream ?? [];
    const value = upstream.length === 0 ? 0 : 1 + Math.max(...upstream.map((u) => of(u, seen)));
    level.set(name, value);
    return value;
  };
  graph.forEach((b) => of(b.name));
  return level;
}

export function drawGraph(run) {
  const level = levels(run.graph);
  const columns = [];
  for (const block of run.graph) (columns[level.get(block.name)] ??= []).push(block);
  const position = new Map();
  columns.forEach((column, x) => column.forEach((block, y) => position.set(block.name, { x: x * (W + GAP_X), y: y * (H + GAP_Y) })));
  const width = columns.length * (W + GAP_X) - GAP_X;
  const height = Math.max(...columns.map((c) => c.length)) * (H + GAP_Y) - GAP_Y;
  const root = svg("svg", { viewBox: `-2 -2 ${width + 4} ${height + 4}`, width: width + 4, height: height + 4, role: "img", "aria-label": "The run's blocks as a graph", class: "graph" });
  const states = new Map(run.blocks.map((b) => [b.name, b]));
  for (const block of run.graph) {
    const to = position.get(block.name);
    for (const name of block.upstream) {
      const from = position.get(name);
      if (from) root.append(svg("path", { d: `M${from.x + W},${from.y + H / 2} C${from.x + W + GAP_X / 2},${from.y + H / 2} ${to.x - GAP_X / 2},${to.y + H / 2} ${to.x},${to.y + H / 2}`, class: "edge" }));
    }
  }
  for (const block of run.graph) {
    const { x, y } = position.get(block.name);
    const state = states.get(block.name);
    const status = state?.status ?? "pending";
    const items = block.mapped_over && state?.items ? run.blocks.filter((b) => b.name.startsWith(`${block.name}[`)) : [];
    const done = items.filter((i) => i.status === "succeeded" || i.status === "cached").length;
    const group = svg("g", { class: `node n-${status}`, "data-block": block.name });
    group.append(svg("title", {}, `${block.name}: ${status.replaceAll("_", " ")}`));
    group.append(svg("rect", { x, y, width: W, height: H, rx: 6 }));
    group.append(svg("text", { x: x + 10, y: y + 17 }, block.name.length > 22 ? `${block.name.slice(0, 21)}…` : block.name));
    group.append(svg("text", { x: x + 10, y: y + 32, class: "sub" }, items.length ? `${status.replaceAll("_", " ")} · ${done}/${items.length} items` : status.replaceAll("_", " ")));
    root.append(group);
  }
  return root;
}
