// Sign-in: the API key, once; the API answers with the session cookie. Without auth there is nothing to sign in to.
import { api, ApiError } from "../api.js";
import { el, errorBox } from "../format.js";
import { navigate } from "../app.js";

export async function render(main) {
  const next = new URLSearchParams(location.search).get("next");
  const target = next && next.startsWith("/") && !next.startsWith("//") ? next : "/";
  const session = await api("/api/session");
  if (!session.required || session.signed_in) {
    navigate(target);
    return;
  }
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
      document.getElementById("sign-out").hidden = false;
      navigate(target);
    } catch (error) {
      problem.append(errorBox(error instanceof ApiError && error.status === 401 ? new Error("That key is wrong.") : error));
    }
  });
  main.append(el("h1", { text: "Sign in" }), form);
  key.focus();
}
