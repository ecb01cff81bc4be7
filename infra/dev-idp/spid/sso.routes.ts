import express, { type Request, type Response, type Router } from "express";
import { z } from "zod";
import { validateAuthnRequest, type ValidAuthnRequest } from "./authn-request.ts";
import { buildErrorResponse, buildSuccessResponse } from "./build-response.ts";
import { findIdentity } from "./identities.ts";
import { LOGIN_TIMEOUT_MS, incomingMessage, type IdpContext } from "./idp-context.ts";
import { errorPage, loginPage, postFormPage } from "./pages.ts";
import { scenarioSchema, type Scenario } from "./scenarios.ts";
import { SpidRequestError, type SpidStatusCode } from "./spid-errors.ts";

const MAX_FAILED_ATTEMPTS = 3;
const REQUEST_MAX_AGE_MS = 5 * 60 * 1000;
const CLOCK_SKEW_MS = 60 * 1000;

const loginBodySchema = z.object({
  token: z.string().min(1),
  action: z.enum(["login", "cancel"]).default("login"),
  username: z.string().default(""),
  password: z.string().default(""),
  otp: z.string().default(""),
  scenario: z.union([z.literal(""), scenarioSchema]).default(""),
});

/** Sends the refusal page for a bad request; the header lets automated tests read the code. */
export function refuse(res: Response, error: SpidRequestError): void {
  res.status(400).set("X-Spid-Error-Code", String(error.code)).type("html").send(errorPage(error.code, error.detail));
}

/** Routes for the SSO endpoint (both bindings) and the login form it leads to. */
export function ssoRoutes(ctx: IdpContext): Router {
  const router = express.Router();
  router.use(express.urlencoded({ extended: false, limit: "256kb" }));

  const receive = async (req: Request, res: Response) => {
    const validate = () =>
      validateAuthnRequest(incomingMessage(req), {
        registry: ctx.registry,
        acceptedDestinations: [ctx.entityId, ctx.ssoUrl],
        now: ctx.now(),
        maxAgeMs: REQUEST_MAX_AGE_MS,
        skewMs: CLOCK_SKEW_MS,
      });
    let authn: ValidAuthnRequest;
    try {
      authn = validate();
    } catch (error) {
      if (!(error instanceof SpidRequestError)) throw error;
      // An unknown issuer may have been published since start: re-read configured URLs once.
      if (error.code !== 10) return refuse(res, error);
      await ctx.refreshSpMetadata();
      try {
        authn = validate();
      } catch (retryError) {
        if (retryError instanceof SpidRequestError) return refuse(res, retryError);
        throw retryError;
      }
    }
    ctx.logger.info(
      { sp: authn.sp.entityId, requestId: authn.id, level: authn.targetLevel },
      "SPID AuthnRequest accepted",
    );
    const token = ctx.pending.add(authn, ctx.now().getTime());
    res.type("html").send(loginView(ctx, token, authn));
  };
  router.get("/sso", receive);
  router.post("/sso", receive);

  router.post("/login", (req, res) => {
    const parsed = loginBodySchema.safeParse(req.body);
    const entry = parsed.success ? ctx.pending.get(parsed.data.token) : undefined;
    if (!parsed.success || !entry) {
      return refuse(res, new SpidRequestError(3, "unknown or expired login session: start again from the service"));
    }
    const body = parsed.data;
    const authn = entry.req;
    const finish = (outcome: Scenario | SpidStatusCode) => {
      ctx.pending.delete(body.token);
      sendResponse(ctx, res, authn, outcome, body.username);
    };
    if (ctx.now().getTime() - entry.createdAt > LOGIN_TIMEOUT_MS) return finish(21);
    if (body.action === "cancel") return finish(25);

    const identity = findIdentity(body.username, ctx.flavour.identities);
    const otpNeeded = authn.targetLevel >= 2;
    const otpOk = !otpNeeded || /^\d{6}$/.test(body.otp.trim());
    if (!identity || identity.password !== body.password || !otpOk) {
      entry.failedAttempts += 1;
      if (entry.failedAttempts >= MAX_FAILED_ATTEMPTS) return finish(19);
      const left = MAX_FAILED_ATTEMPTS - entry.failedAttempts;
      const what = otpOk ? "Nome utente o password non corretti." : "Il codice OTP deve essere di 6 cifre.";
      return res
        .status(401)
        .type("html")
        .send(
          loginView(ctx, body.token, authn, { username: body.username, error: `${what} Tentativi rimasti: ${left}.` }),
        );
    }
    if (authn.targetLevel > identity.maxLevel) return finish(20);
    const scenario = body.scenario === "" ? ctx.scenarios.take() : body.scenario;
    finish(scenario);
  });
  return router;
}

function loginView(
  ctx: IdpContext,
  token: string,
  authn: ValidAuthnRequest,
  extra: { username?: string; error?: string } = {},
) {
  return loginPage({
    flavour: ctx.flavour,
    token,
    spEntityId: authn.sp.entityId,
    level: Math.min(authn.targetLevel, 3),
    attributes: authn.attributes,
    adminScenario: `${ctx.scenarios.current().scenario}${ctx.scenarios.current().once ? ", una sola volta" : ""}`,
    ...extra,
  });
}

const STATUS_SCENARIOS: Partial<Record<Scenario, SpidStatusCode>> = {
  "status-nr19": 19,
  "status-nr20": 20,
  "status-nr21": 21,
  "status-nr22": 22,
  "status-nr23": 23,
  "status-nr25": 25,
};

/** Builds the Response the outcome calls for and hands it to the browser for the POST to the ACS. */
function sendResponse(
  ctx: IdpContext,
  res: Response,
  authn: ValidAuthnRequest,
  outcome: Scenario | SpidStatusCode,
  username: string,
) {
  const now = ctx.now();
  if (outcome === "replay") {
    const last = ctx.lastResponse;
    if (!last) return refuse(res, new SpidRequestError(3, "replay scenario: no Response has been sent yet"));
    ctx.logger.warn({ acs: last.acsUrl }, "SPID test scenario: replaying the last Response");
    return res.type("html").send(
      postFormPage({
        action: last.acsUrl,
        field: "SAMLResponse",
        message: last.samlResponse,
        relayState: last.relayState,
      }),
    );
  }
  const code = typeof outcome === "number" ? outcome : STATUS_SCENARIOS[outcome];
  let xml: string;
  if (code !== undefined) {
    xml = buildErrorResponse(ctx.signing, { req: authn, code, now });
  } else {
    const identity = findIdentity(username, ctx.flavour.identities);
    if (!identity) throw new Error("identity vanished between checks");
    const level = Math.min(authn.targetLevel, identity.maxLevel) as 1 | 2;
    xml = buildSuccessResponse(ctx.signing, { req: authn, identity, level, scenario: outcome as Scenario, now });
  }
  const samlResponse = Buffer.from(xml, "utf8").toString("base64");
  ctx.lastResponse = { acsUrl: authn.acsUrl, samlResponse, relayState: authn.relayState };
  ctx.logger.info({ sp: authn.sp.entityId, requestId: authn.id, outcome }, "SPID Response sent");
  res.type("html").send(
    postFormPage({
      action: authn.acsUrl,
      field: "SAMLResponse",
      message: samlResponse,
      relayState: authn.relayState,
    }),
  );
}
