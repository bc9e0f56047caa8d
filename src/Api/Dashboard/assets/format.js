// Builds DOM nodes and formats values for the browser's locale: never HTML from strings, so no data is ever markup.

export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
    else if (name === "text") node.textContent = value;
    else node.setAttribute(name, value === true ? "" : value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

// An SVG element, built as el() builds HTML ones: attributes set one by one, text as text.
export function svg(tag, attributes = {}, text) {
  const node = document.createElementNS("http://www.w3.org/2000/svg", tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  if (text !== undefined) node.textContent = text;
  return node;
}

// Replaces a node's children with those given, leaving out the null ones (a DOM method would write "null").
export function fill(node, ...children) {
  node.replaceChildren(...children.flat().filter((c) => c !== null && c !== undefined && c !== false));
  return node;
}

export function status(value) {
  return el("span", { class: `status s-${value}`, text: value.replaceAll("_", " ") });
}

// One formatter per time zone: making one costs far more than using it, and a run page formats thousands of times.
const formatters = new Map();

// A run's status as listings show it: a running run with a block waiting reads "waiting" (the API's own rule).
export function runStatus(run) {
  return status(run.waiting ? "waiting" : run.status);
}

// A table's header row of column names.
export function head(...names) {
  return el("thead", {}, el("tr", {}, names.map((name) => el("th", { scope: "col", text: name }))));
}

export function time(value, timeZone) {
  if (!value) return "—";
  let formatter = formatters.get(timeZone ?? "");
  if (!formatter) {
    const options = { dateStyle: "medium", timeStyle: "medium" };
    if (timeZone) options.timeZone = timeZone;
    formatter = new Intl.DateTimeFormat(undefined, options);
    formatters.set(timeZone ?? "", formatter);
  }
  return formatter.format(new Date(value));
}

export function duration(start, end) {
  if (!start) return "—";
  const ms = (end ? new Date(end) : new Date()) - new Date(start);
  if (ms < 1000) return `${ms} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)} s`;
  const m = Math.floor(s / 60);
  return m < 60 ? `${m} min ${Math.round(s % 60)} s` : `${Math.floor(m / 60)} h ${m % 60} min`;
}

// Calls refresh every few seconds until the page is left; nothing starts on a page already left while it loaded.
export function every(seconds, signal, refresh) {
  if (signal.aborted) return;
  const timer = setInterval(() => refresh().catch(() => {}), seconds * 1000);
  signal.addEventListener("abort", () => clearInterval(timer));
}

export function number(value) {
  return new Intl.NumberFormat().format(value);
}

export function runLink(runId) {
  return el("a", { href: `/runs/${encodeURIComponent(runId)}`, text: runId });
}

export function errorBox(error) {
  return el("p", { class: "error", role: "alert", text: error.message || String(error) });
}
