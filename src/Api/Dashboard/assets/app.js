// The dashboard's router: each URL is a page (deep links and reloads work); links inside the app change the page
// without a reload. Pages get the main element and a signal that is aborted when the user leaves them.
import { api } from "./api.js";
import { errorBox } from "./format.js";
import * as overview from "./pages/overview.js";
import * as runs from "./pages/runs.js";
import * as run from "./pages/run.js";
import * as pipeline from "./pages/pipeline.js";
import * as signin from "./pages/signin.js";

const routes = [
  [/^\/$/, overview],
  [/^\/runs$/, runs],
  [/^\/runs\/([^/]+)$/, run],
  [/^\/pipelines\/([^/]+)$/, pipeline],
  [/^\/signin$/, signin],
];

let leaving = null;

async function show() {
  leaving?.abort();
  leaving = new AbortController();
  const signal = leaving.signal;
  // Each visit renders into a container of its own: a page still loading when the user moves on writes into its
  // detached container, never into the next page.
  const main = document.createElement("div");
  document.getElementById("page").replaceChildren(main);
  const path = location.pathname;
  const match = routes.map(([pattern, page]) => [path.match(pattern), page]).find(([m]) => m);
  if (!match) {
    main.append(errorBox(new Error(`There is no page at ${path}.`)));
    return;
  }
  const [found, page] = match;
  try {
    await page.render(main, found.slice(1).map(decodeURIComponent), signal);
    if (!signal.aborted) document.title = `${main.querySelector("h1")?.textContent ?? "Duraflow"} · Duraflow`;
  } catch (error) {
    if (error.status !== 401) main.append(errorBox(error));
  }
}

export function navigate(url) {
  history.pushState(null, "", url);
  show();
}

document.addEventListener("click", (event) => {
  const link = event.target.closest("a[href^='/']");
  if (!link || event.ctrlKey || event.metaKey || event.shiftKey || link.target) return;
  event.preventDefault();
  navigate(link.getAttribute("href"));
});
window.addEventListener("popstate", show);

const signOut = document.getElementById("sign-out");
signOut.addEventListener("click", async () => {
  await api("/api/session", { method: "DELETE" });
  navigate("/signin");
});

api("/api/session").then((session) => { signOut.hidden = !session.required || !session.signed_in; }).catch(() => {});
show();
