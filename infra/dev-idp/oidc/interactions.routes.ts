import express, { type Router } from "express";
import type Provider from "oidc-provider";
import type { Logger } from "pino";
import { escapeHtml, page } from "./pages.ts";
import type { UserDirectory } from "./user-directory.ts";

/**
 * The realm's login screen (Keycloak's `login-actions`): a plain HTML form in Italian that works
 * without JavaScript. oidc-provider sends the browser here whenever it needs the user to log in.
 */
export function interactionRoutes(provider: Provider, directory: UserDirectory, logger: Logger): Router {
  const router = express.Router();
  const form = express.urlencoded({ extended: false, limit: "8kb" });

  router.get("/login-actions/:uid", async (req, res, next) => {
    try {
      const details = await provider.interactionDetails(req, res);
      if (details.uid !== req.params.uid) throw new Error("interaction mismatch");
      res.type("html").send(loginPage(req.baseUrl, details.uid, String(details.params.login_hint ?? "")));
    } catch (error) {
      next(error);
    }
  });

  router.post("/login-actions/:uid/login", form, async (req, res, next) => {
    try {
      const details = await provider.interactionDetails(req, res);
      if (details.uid !== req.params.uid) throw new Error("interaction mismatch");
      const username = String(req.body?.username ?? "")
        .trim()
        .toLowerCase();
      const password = String(req.body?.password ?? "");
      const user = directory.byLogin(username);
      if (!user || !directory.verifyPassword(user, password)) {
        logger.info({ username }, "dev-idp login refused");
        res
          .status(401)
          .type("html")
          .send(loginPage(req.baseUrl, details.uid, username, "Nome utente o password non validi."));
        return;
      }
      await provider.interactionFinished(
        req,
        res,
        { login: { accountId: user.id, amr: ["pwd"] } },
        { mergeWithLastSubmission: false },
      );
    } catch (error) {
      next(error);
    }
  });

  router.post("/login-actions/:uid/abort", async (req, res, next) => {
    try {
      await provider.interactionFinished(
        req,
        res,
        { error: "access_denied", error_description: "Accesso annullato dall'utente" },
        { mergeWithLastSubmission: false },
      );
    } catch (error) {
      next(error);
    }
  });

  // An expired or unknown interaction (old bookmark, back button after login) is the usual cause.
  router.use("/login-actions", ((error, _req, res, _next) => {
    logger.info({ err: error }, "dev-idp login interaction not found");
    res
      .status(400)
      .type("html")
      .send(
        page(
          "Sessione scaduta",
          `<h1>Sessione di accesso scaduta</h1>
<p class="error" role="alert">La richiesta di accesso non è più valida. Torna all'applicazione e accedi di nuovo.</p>`,
        ),
      );
  }) as express.ErrorRequestHandler);

  return router;
}

function loginPage(mount: string, uid: string, username: string, error?: string): string {
  const action = `${mount}/login-actions/${encodeURIComponent(uid)}`;
  const invalid = error ? ' aria-invalid="true" aria-describedby="login-error"' : "";
  return page(
    "Accesso",
    `<h1>Accesso a PontePA</h1>
<p class="note">Ambiente di sviluppo: utenti dimostrativi, password <code>demo</code>; chi è stato invitato usa il proprio indirizzo e-mail e la password che ha scelto.</p>
${error ? `<p id="login-error" class="error" role="alert">${escapeHtml(error)}</p>` : ""}
<form method="post" action="${action}/login">
  <label for="username">Nome utente o e-mail</label>
  <input id="username" name="username" type="text" autocomplete="username" required value="${escapeHtml(username)}"${invalid}${username ? "" : " autofocus"}>
  <label for="password">Password</label>
  <input id="password" name="password" type="password" autocomplete="current-password" required${invalid}${username ? " autofocus" : ""}>
  <button type="submit">Accedi</button>
</form>
<form method="post" action="${action}/abort">
  <button type="submit" class="secondary">Annulla</button>
</form>`,
  );
}
