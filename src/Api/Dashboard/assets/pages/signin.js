// Sign-in: the API key, once, or Entra ID where the server offers it; the API answers with a cookie either way. Without
// auth there is nothing to sign in to.
//
// Entra is the authorization code flow with PKCE of a single-page app: the page sends the browser to the authority,
// which sends it back here with a code; the page redeems the code at the token endpoint (the one origin besides its
// own that the Content-Security-Policy lets it call) and hands the access token to POST /api/session, which checks it
// and keeps it in an HttpOnly cookie. The token is never stored by the page.
import { api, ApiError } from "../api.js";
import { el, errorBox } from "../format.js";
import { navigate } from "../app.js";

const pending = "duraflow.entra";

export async function render(main) {
  const params = new URLSearchParams(location.search);
  const session = await api("/api/session");
  let problem = null;
  if (params.has("code") || params.has("error")) {
    const finished = await finishEntra(session, params).catch((error) => ({ error }));
    if (!finished.error) {
      navigate(finished.target);
      return;
    }
    problem = finished.error;
  }

  const target = safeTarget(params.get("next"));
  // A failed Entra sign-in is said even to a browser still signed in with the key, rather than dropped.
  if (!problem && (!session.required || session.signed_in)) {
    navigate(target);
    return;
  }

  main.append(el("h1", { text: "Sign in" }));
  if (problem) main.append(errorBox(problem));
  if (session.methods.includes("entra")) main.append(entraPanel(session.entra, target));
  if (session.methods.includes("api_key")) main.append(keyForm(target));
  if (session.methods.length === 0) {
    main.append(el("p", { class: "panel", text: "This server takes Entra ID bearer tokens from scripts and offers no browser sign-in: set an API key (Duraflow__ApiKey), or Entra sign-in for the dashboard (Duraflow__Auth__Entra__DashboardClientId and __DashboardScope)." }));
  }
  main.querySelector("input, button")?.focus();
}

function keyForm(target) {
  const key = el("input", { type: "password", name: "api_key", autocomplete: "current-password", required: true, id: "api-key" });
  const problem = el("div");
  const form = el("form", { class: "panel" },
    el("label", { for: "api-key" }, "API key", key),
    el("p", { class: "muted", text: "The key the server was started with (Duraflow__ApiKey). It is checked once; the browser keeps a session cookie, not the key." }),
    el("button", { type: "submit", class: "primary", text: "Sign in" }),
    problem);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    problem.replaceChildren();
    try {
      await api("/api/session", { method: "POST", body: { api_key: key.value } });
      signedIn(target);
    } catch (error) {
      problem.append(errorBox(error instanceof ApiError && error.status === 401 ? new Error("That key is wrong.") : error));
    }
  });
  return form;
}

function entraPanel(entra, target) {
  const problem = el("div");
  const button = el("button", { type: "button", class: "primary", text: "Sign in with Microsoft" });
  button.disabled = Boolean(entra.problem);
  button.addEventListener("click", async () => {
    problem.replaceChildren();
    try {
      await startEntra(entra, target);
    } catch (error) {
      problem.append(errorBox(error));
    }
  });
  return el("div", { class: "panel" },
    button,
    el("p", { class: "muted", text: "Your organisation's Entra ID account; the server checks the token Entra gives and keeps it in a cookie until it expires." }),
    entra.problem ? errorBox(new Error(entra.problem)) : null,
    problem);
}

async function startEntra(entra, target) {
  const verifier = randomText(32);
  const state = randomText(16);
  sessionStorage.setItem(pending, JSON.stringify({ verifier, state, target }));
  const url = new URL(entra.authorization_endpoint);
  url.search = new URLSearchParams({
    client_id: entra.client_id,
    response_type: "code",
    response_mode: "query",
    redirect_uri: redirectUri(),
    scope: entra.scope,
    state,
    code_challenge: await challengeOf(verifier),
    code_challenge_method: "S256",
  }).toString();
  location.assign(url.toString());
}

// Back from the authority: the code is redeemed once, and the address bar loses it at once, so a reload or a shared
// link never replays it.
async function finishEntra(session, params) {
  const saved = JSON.parse(sessionStorage.getItem(pending) ?? "null");
  sessionStorage.removeItem(pending);
  history.replaceState(null, "", "/signin");
  // The state first: an answer this page did not ask for is not shown, whatever text it carries.
  if (!saved || saved.state !== params.get("state")) throw new Error("This sign-in was not started from this page (its state does not match); sign in again.");
  if (params.has("error")) throw new Error(`Entra ID refused the sign-in: ${params.get("error_description") || params.get("error")}`);
  const entra = session.entra;
  if (!entra?.token_endpoint) throw new Error(entra?.problem ?? "This server does not offer Entra sign-in.");
  const response = await fetch(entra.token_endpoint, {
    method: "POST",
    body: new URLSearchParams({
      client_id: entra.client_id,
      grant_type: "authorization_code",
      code: params.get("code"),
      redirect_uri: redirectUri(),
      code_verifier: saved.verifier,
      scope: entra.scope,
    }),
  });
  const answer = await response.json().catch(() => ({}));
  if (!response.ok || !answer.access_token) throw new Error(`Entra ID gave no token: ${answer.error_description || answer.error || `HTTP ${response.status}`}`);
  await api("/api/session", { method: "POST", body: { access_token: answer.access_token } });
  document.getElementById("sign-out").hidden = false;
  return { target: safeTarget(saved.target) };
}

function signedIn(target) {
  document.getElementById("sign-out").hidden = false;
  navigate(target);
}

const redirectUri = () => `${location.origin}/signin`;

// Only a path of this site: not "//host" or "/\\host", which browsers read as another host.
function safeTarget(next) {
  return next && next.startsWith("/") && !next.startsWith("//") && !next.startsWith("/\\") ? next : "/";
}

function randomText(bytes) {
  return base64Url(crypto.getRandomValues(new Uint8Array(bytes)));
}

async function challengeOf(verifier) {
  return base64Url(new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier))));
}

function base64Url(bytes) {
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}
