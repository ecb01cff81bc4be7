import { createSign } from "node:crypto";
import { deflateRawSync } from "node:zlib";
import express, { type Request, type Response, type Router } from "express";
import { newId } from "./build-response.ts";
import { incomingMessage, type IdpContext } from "./idp-context.ts";
import { messagePage, postFormPage } from "./pages.ts";
import { authenticateSender, checkCommonAttributes, decodeMessage } from "./saml-message.ts";
import { BINDING, type ServiceProvider } from "./sp-registry.ts";
import { SpidRequestError } from "./spid-errors.ts";
import { ALG, NS, child, esc, signElement } from "./xml.ts";
import { refuse } from "./sso.routes.ts";

/**
 * Single logout, SP-initiated: a signed LogoutRequest in, a signed LogoutResponse out, sent to
 * the SP's SingleLogoutService (HTTP-POST preferred, else HTTP-Redirect with a query signature).
 */
export function sloRoutes(ctx: IdpContext): Router {
  const router = express.Router();
  router.use(express.urlencoded({ extended: false, limit: "256kb" }));
  const handle = (req: Request, res: Response) => {
    const msg = incomingMessage(req);
    if (msg.params.SAMLResponse !== undefined) {
      // A LogoutResponse to an IdP-initiated logout, which this IdP never starts: just close.
      return res.type("html").send(messagePage("Uscita completata", "La sessione SPID è stata chiusa."));
    }
    try {
      const decoded = decodeMessage(msg, "SAMLRequest");
      if (decoded.root.localName !== "LogoutRequest" || decoded.root.namespaceURI !== NS.samlp) {
        throw new SpidRequestError(8, "root element is not samlp:LogoutRequest");
      }
      const sp = authenticateSender(msg, decoded, ctx.registry);
      const { id } = checkCommonAttributes(decoded.root, [ctx.entityId, ctx.sloUrl], ctx.now(), {
        maxAgeMs: 5 * 60 * 1000,
        skewMs: 60 * 1000,
      });
      if (!child(decoded.root, NS.saml, "NameID")?.textContent?.trim()) throw new SpidRequestError(8, "NameID missing");
      if (!child(decoded.root, NS.samlp, "SessionIndex")?.textContent?.trim())
        throw new SpidRequestError(8, "SessionIndex missing");
      ctx.logger.info({ sp: sp.entityId, requestId: id }, "SPID LogoutRequest accepted");
      sendLogoutResponse(ctx, res, sp, id, decoded.relayState);
    } catch (error) {
      if (error instanceof SpidRequestError) return refuse(res, error);
      throw error;
    }
  };
  router.get("/slo", handle);
  router.post("/slo", handle);
  return router;
}

function sendLogoutResponse(
  ctx: IdpContext,
  res: Response,
  sp: ServiceProvider,
  inResponseTo: string,
  relayState?: string,
) {
  const endpoint =
    sp.singleLogoutServices.find((s) => s.binding === BINDING.post) ??
    sp.singleLogoutServices.find((s) => s.binding === BINDING.redirect);
  if (!endpoint) throw new SpidRequestError(16, "the SP metadata declares no SingleLogoutService");
  const destination = endpoint.responseLocation ?? endpoint.location;
  const id = newId();
  const xml =
    `<samlp:LogoutResponse xmlns:samlp="${NS.samlp}" xmlns:saml="${NS.saml}" ID="${id}" Version="2.0"` +
    ` IssueInstant="${ctx.now().toISOString()}" Destination="${esc(destination)}" InResponseTo="${esc(inResponseTo)}">` +
    `<saml:Issuer Format="urn:oasis:names:tc:SAML:2.0:nameid-format:entity">${esc(ctx.entityId)}</saml:Issuer>` +
    `<samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>` +
    `</samlp:LogoutResponse>`;
  const { privateKeyPem, certificatePem } = ctx.signing.keys;
  if (endpoint.binding === BINDING.post) {
    const signed = signElement(xml, id, privateKeyPem, certificatePem);
    const message = Buffer.from(signed, "utf8").toString("base64");
    return res.type("html").send(postFormPage({ action: destination, field: "SAMLResponse", message, relayState }));
  }
  let query = `SAMLResponse=${encodeURIComponent(deflateRawSync(Buffer.from(xml, "utf8")).toString("base64"))}`;
  if (relayState !== undefined) query += `&RelayState=${encodeURIComponent(relayState)}`;
  query += `&SigAlg=${encodeURIComponent(ALG.rsaSha256)}`;
  const signature = createSign("RSA-SHA256").update(query).sign(privateKeyPem, "base64");
  res.redirect(
    302,
    `${destination}${destination.includes("?") ? "&" : "?"}${query}&Signature=${encodeURIComponent(signature)}`,
  );
}
