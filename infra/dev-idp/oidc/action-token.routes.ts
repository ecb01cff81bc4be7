import express, { type Router } from "express";
import type { Logger } from "pino";
import { escapeHtml, page } from "./pages.ts";
import type { UserDirectory } from "./user-directory.ts";

/** Where Keycloak serves the links of its action e-mails, under the realm. */
export const ACTION_TOKEN_PATH = "/login-actions/action-token";

const MIN_PASSWORD = 8;

/**
 * The page behind the link of the "execute actions" e-mail: the invited person chooses a
 * password (Keycloak's UPDATE_PASSWORD). The token is single-use and expires; once used, the
 * person logs in with it on the normal login form.
 */
export function actionTokenRoutes(directory: UserDirectory, logger: Logger): Router {
  const router = express.Router();
  const form = express.urlencoded({ extended: false, limit: "8kb" });

  router.get(ACTION_TOKEN_PATH, (req, res) => {
    const key = typeof req.query.key === "string" ? req.query.key : "";
    const pending = directory.actionToken(key);
    const user = pending && directory.byId(pending.userId);
    if (!pending || !user) return void res.status(400).type("html").send(expiredPage());
    res
      .set("Cache-Control", "no-store")
      .type("html")
      .send(passwordPage(req.baseUrl, key, user.email));
  });

  router.post(ACTION_TOKEN_PATH, form, async (req, res, next) => {
    try {
      const body = req.body as Record<string, unknown>;
      const key = typeof body.key === "string" ? body.key : "";
      const password = typeof body.password === "string" ? body.password : "";
      const confirm = typeof body["password-confirm"] === "string" ? body["password-confirm"] : "";
      const pending = directory.actionToken(key);
      const user = pending && directory.byId(pending.userId);
      if (!pending || !user) return void res.status(400).type("html").send(expiredPage());
      const problem =
        password.length < MIN_PASSWORD
          ? `La password deve avere almeno ${MIN_PASSWORD} caratteri.`
          : password !== confirm
            ? "Le due password non coincidono."
            : undefined;
      if (problem)
        return void res
          .status(422)
          .type("html")
          .send(passwordPage(req.baseUrl, key, user.email, problem));
      const done = await directory.completeActionToken(key, password);
      if (!done) return void res.status(400).type("html").send(expiredPage());
      logger.info({ username: user.username }, "dev-idp password set through an action token");
      const back = done.redirectUri
        ? `<p><a href="${escapeHtml(done.redirectUri)}">Vai all'area riservata</a></p>`
        : "";
      res.type("html").send(
        page(
          "Password impostata",
          `<h1>Password impostata</h1>
<p role="status">Il tuo account è pronto: accedi con il tuo indirizzo e-mail e la password che hai scelto.</p>
${back}`,
        ),
      );
    } catch (error) {
      next(error);
    }
  });
  return router;
}

function expiredPage(): string {
  return page(
    "Collegamento non valido",
    `<h1>Collegamento non valido</h1>
<p class="error" role="alert">Il collegamento è scaduto oppure è già stato usato. Chiedi all'amministratore del tuo ente di inviarti un nuovo invito.</p>`,
  );
}

function passwordPage(mount: string, key: string, email: string, error?: string): string {
  const invalid = error ? ' aria-invalid="true" aria-describedby="password-error"' : "";
  return page(
    "Imposta la password",
    `<h1>Imposta la tua password</h1>
<p>Account: <strong>${escapeHtml(email)}</strong></p>
${error ? `<p id="password-error" class="error" role="alert">${escapeHtml(error)}</p>` : ""}
<form method="post" action="${escapeHtml(mount + ACTION_TOKEN_PATH)}">
  <input type="hidden" name="key" value="${escapeHtml(key)}">
  <label for="password">Nuova password (almeno ${MIN_PASSWORD} caratteri)</label>
  <input id="password" name="password" type="password" autocomplete="new-password" required minlength="${MIN_PASSWORD}"${invalid} autofocus>
  <label for="password-confirm">Ripeti la password</label>
  <input id="password-confirm" name="password-confirm" type="password" autocomplete="new-password" required minlength="${MIN_PASSWORD}"${invalid}>
  <button type="submit">Imposta la password</button>
</form>`,
  );
}
