import { z } from "zod";
import { createCheckoutDeps, getCouncilPayment, startCouncilPayment, type CheckoutDeps } from "../../checkout/index.ts";
import { createCheckoutClient } from "../../nodo/checkout/index.ts";
import type { Deps } from "../../platform/deps.ts";
import { AppError } from "../../platform/errors.ts";
import { createPosition, findPosition } from "../../positions/index.ts";
import { findApiClient } from "../clients/index.ts";
import { defineOperation, machineActor, type OperationContext } from "../operation.ts";
import { createInput } from "../position-view.ts";
import { ipaParams } from "../schemas/common.ts";
import { paymentStatusOut, startPaymentBody, startedPaymentOut } from "../schemas/payments.schema.ts";

const BASE = "/tenants/:ipa";
type Item = z.output<typeof startPaymentBody>["items"][number];

// One Checkout client per process (per Deps), built on first use like the portal's.
const checkoutByDeps = new WeakMap<Deps, CheckoutDeps>();
function checkoutDeps(deps: Deps): CheckoutDeps {
  let built = checkoutByDeps.get(deps);
  if (!built) {
    const { config } = deps;
    built = createCheckoutDeps(
      deps,
      createCheckoutClient(
        {
          baseUrl: config.CHECKOUT_BASE_URL,
          subscriptionKey: config.CHECKOUT_SUBSCRIPTION_KEY,
          timeoutMs: config.CHECKOUT_TIMEOUT_MS,
          retries: config.CHECKOUT_RETRIES,
        },
        deps.logger,
      ),
    );
    checkoutByDeps.set(deps, built);
  }
  return built;
}

/** The notice number an item names: an existing notice, an option of a position by externalId, or a position created (or reused) here. */
async function navOf(ctx: OperationContext<unknown, unknown, unknown>, item: Item, i: number): Promise<string> {
  if ("nav" in item) return item.nav;
  const { deps, tenant } = ctx;
  const externalId = "externalId" in item ? item.externalId : item.position.externalId;
  let position = await findPosition(deps.db, tenant.id, { externalId }).catch((err: unknown) => {
    if (err instanceof AppError && err.code === "NOT_FOUND") return null;
    throw err;
  });
  if (!position && "position" in item) {
    await createPosition(deps.db, tenant, createInput(item.position), machineActor(ctx), {
      requestId: ctx.requestId,
    }).catch((err: unknown) => {
      // A concurrent call created it first: reuse it (the lookup below finds it).
      if ((err as { code?: string })?.code !== "P2002") throw err;
    });
    position = await findPosition(deps.db, tenant.id, { externalId });
  }
  if (!position) throw new AppError("NOT_FOUND", `items[${i}]: no position with this externalId`, 404);
  const option = position.options.find((o) =>
    item.installment === undefined ? o.kind === "SINGLE" : o.installmentNumber === item.installment,
  );
  if (!option)
    throw new AppError(
      "CART_INVALID",
      `items[${i}]: the position has no ${item.installment === undefined ? "single payment" : `installment ${item.installment}`}`,
      422,
    );
  return option.nav;
}

export const paymentOperations = [
  defineOperation({
    operationId: "startPayment",
    method: "post",
    path: `${BASE}/payments`,
    tag: "payments",
    role: "payments.write",
    summary: {
      it: "Avvia un pagamento dal portale dell'ente (pagoPA Checkout)",
      en: "Start a payment from the council's portal (pagoPA Checkout)",
    },
    description: {
      it: "Crea (o riusa) le posizioni e restituisce l'indirizzo di pagoPA Checkout per un carrello di 1-5 avvisi. Al termine il cittadino torna all'indirizzo dell'ente per l'esito, con `paymentId` ed `esito` (ok, annullato, errore, attesa). Gli indirizzi di ritorno devono iniziare con un prefisso registrato per il client; unica soluzione e rate della stessa posizione non vanno insieme.",
      en: "Creates (or reuses) the positions and returns the pagoPA Checkout URL for a cart of 1-5 notices. Afterwards the citizen returns to the council's URL for the outcome, with `paymentId` and `esito` (ok, annullato, errore, attesa). Return URLs must begin with a prefix registered for the client; a position's single payment and its installments never go together.",
    },
    params: ipaParams,
    body: startPaymentBody,
    example: {
      items: [{ nav: "301000000000012345" }, { externalId: "TARI-2027-000123", installment: 1 }],
      returnUrls: {
        ok: "https://portale.comune.example.it/pagamenti/esito",
        cancel: "https://portale.comune.example.it/pagamenti/annullato",
        error: "https://portale.comune.example.it/pagamenti/errore",
      },
      payerEmail: "mario.rossi@example.org",
    },
    responses: {
      201: { description: { it: "Pagamento avviato", en: "Payment started" }, schema: startedPaymentOut },
    },
    async handle(ctx) {
      const { deps, tenant, principal, body } = ctx;
      const client = await findApiClient(deps.db, tenant.id, principal.clientId);
      if (!client || client.revoked || client.returnUrlPrefixes.length === 0)
        throw new AppError(
          "FORBIDDEN",
          "This client has no registered return-URL prefixes, so it may not start payments: register them in the client's settings",
          403,
        );
      const navs: string[] = [];
      for (const [i, item] of body.items.entries()) navs.push(await navOf(ctx, item, i));
      const started = await startCouncilPayment(checkoutDeps(deps), tenant, {
        clientId: principal.clientId,
        returnUrlPrefixes: client.returnUrlPrefixes,
        navs,
        returnUrls: body.returnUrls,
        payerEmail: body.payerEmail,
      });
      return { status: 201, body: started };
    },
  }),
  defineOperation({
    operationId: "getPayment",
    method: "get",
    path: `${BASE}/payments/:paymentId`,
    tag: "payments",
    role: "payments.write",
    summary: {
      it: "Esito di un pagamento avviato dal portale dell'ente",
      en: "Outcome of a payment started from the council's portal",
    },
    params: ipaParams.extend({ paymentId: z.string().max(64) }),
    responses: {
      200: {
        description: { it: "Stato degli avvisi del pagamento", en: "Status of the payment's notices" },
        schema: paymentStatusOut,
      },
    },
    async handle(ctx) {
      const { payment, notices, allPaid } = await getCouncilPayment(ctx.deps, ctx.tenant.id, ctx.params.paymentId);
      return {
        status: 200,
        body: {
          paymentId: payment.id,
          createdAt: payment.createdAt.toISOString(),
          allPaid,
          notices: notices.map((n, i) => ({
            nav: n.nav,
            amountCents: payment.items[i]!.amountCents,
            status: n.status,
            inProgress: n.inProgress,
            receiptId: n.receipt?.receiptId ?? null,
            paidAt: n.receipt?.paymentDateTime?.toISOString() ?? null,
          })),
        },
      };
    },
  }),
];
