import { Router, type Request, type Response } from "express";
import { OUTBOX_EVENT_TYPES } from "../../server/outbox/index.ts";
import {
  createWebhookEndpoint,
  getWebhookDeliveryLog,
  listWebhookEndpoints,
  replayWebhookEvents,
  rotateWebhookSecret,
  setWebhookPaused,
} from "../../server/webhooks/index.ts";
import { AppError, FormValidationError } from "../../server/platform/errors.ts";
import { endOfRomeDay, startOfRomeDay } from "../../server/pagopa/money.ts";
import { can } from "../../server/identity/staff/index.ts";
import { staffActor, type BackofficeContext } from "./backoffice.context.ts";
import { allow } from "./guards.ts";
import { renderPage } from "./nav.ts";
import { webhookFormSchema, webhookReplayFormSchema } from "./forms.schema.ts";
import { DELIVERY_STATUS_LABELS, WEBHOOK_EVENT_LABELS, WEBHOOK_LABELS } from "./webhook-labels.ts";
import { formMessage, showErrors, type ShownErrors } from "../shared/form-errors.ts";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const eventLabel = (type: string) => WEBHOOK_EVENT_LABELS[type as keyof typeof WEBHOOK_EVENT_LABELS] ?? type;

/**
 * A council's webhooks: endpoints (create, rotate the secret, pause and resume), each one's
 * delivery log with its attempts, and replay of one event or of whole days. Reading needs
 * tenant.read; every change tenant.configure. A secret is shown once, on the page that made it.
 */
export function webhookPages(ctx: BackofficeContext): Router {
  const router = Router({ mergeParams: true });
  const production = ctx.deps.config.NODE_ENV === "production";
  const base = (res: Response) => `/backoffice/enti/${res.locals.tenant!.ipaCode}/webhook`;
  const endpointId = (req: Request) => {
    const id = String(req.params.endpointId);
    if (!UUID.test(id)) throw new AppError("NOT_FOUND", "Webhook non trovato", 404);
    return id;
  };

  const showList = async (
    res: Response,
    values: { url?: string; description?: string; events?: string[] } = {},
    shown: ShownErrors = { errors: {}, errorList: [] },
    created?: { id: string; secret: string },
  ) => {
    const tenant = res.locals.tenant!;
    const endpoints = await listWebhookEndpoints(ctx.deps.db, tenant.id);
    const chosen = new Set(values.events ?? []);
    renderPage(res, "webhooks", base(res), {
      title: "Webhook",
      endpoints: endpoints.map((e) => ({ ...e, eventLabels: e.events.map(eventLabel) })),
      eventChoices: OUTBOX_EVENT_TYPES.map((type) => ({ type, label: eventLabel(type), checked: chosen.has(type) })),
      canConfigure: can(res.locals.staff!.principal, "tenant.configure", tenant.ipaCode),
      listHref: base(res),
      v: values,
      created,
      ...shown,
    });
  };

  const showDetail = async (
    res: Response,
    id: string,
    extra: { secret?: string; flash?: string; shown?: ShownErrors } = {},
  ) => {
    const tenant = res.locals.tenant!;
    const { endpoint, deliveries } = await getWebhookDeliveryLog(ctx.deps.db, tenant.id, id);
    renderPage(res, "webhook-detail", base(res), {
      title: `Webhook ${endpoint.url}`,
      endpoint: { ...endpoint, eventLabels: endpoint.events.map(eventLabel) },
      deliveries: deliveries.map((d) => ({
        ...d,
        eventLabel: eventLabel(d.eventType),
        statusLabel: DELIVERY_STATUS_LABELS[d.status] ?? d.status,
        delivered: d.status === "DELIVERED",
        failed: d.status === "FAILED",
      })),
      listHref: base(res),
      canConfigure: can(res.locals.staff!.principal, "tenant.configure", tenant.ipaCode),
      secret: extra.secret,
      flash: extra.flash,
      ...(extra.shown ?? { errors: {}, errorList: [] }),
    });
  };

  router.get("/webhook", allow("tenant.read"), async (_req, res) => showList(res));

  router.post("/webhook", allow("tenant.configure"), async (req, res) => {
    const b = webhookFormSchema.parse(req.body);
    try {
      const created = await createWebhookEndpoint(
        ctx.deps.db,
        res.locals.tenant!.id,
        { url: b.url, description: b.description, events: b.events as never },
        staffActor(res.locals.staff!),
        { production },
      );
      await showList(res, {}, undefined, created);
    } catch (err) {
      if (!(err instanceof FormValidationError)) throw err;
      res.status(422);
      await showList(res, b, showErrors(err.fieldErrors, WEBHOOK_LABELS));
    }
  });

  router.get("/webhook/:endpointId", allow("tenant.read"), async (req, res) => showDetail(res, endpointId(req)));

  router.post("/webhook/:endpointId/segreto", allow("tenant.configure"), async (req, res) => {
    const id = endpointId(req);
    const rotated = await rotateWebhookSecret(ctx.deps.db, res.locals.tenant!.id, id, staffActor(res.locals.staff!), {
      overlapHours: ctx.deps.config.WEBHOOK_SECRET_OVERLAP_HOURS,
    });
    await showDetail(res, id, { secret: rotated.secret, flash: "Segreto rinnovato." });
  });

  for (const [path, paused] of [
    ["sospendi", true],
    ["riattiva", false],
  ] as const) {
    router.post(`/webhook/:endpointId/${path}`, allow("tenant.configure"), async (req, res) => {
      const id = endpointId(req);
      await setWebhookPaused(ctx.deps.db, res.locals.tenant!.id, id, paused, staffActor(res.locals.staff!));
      res.redirect(303, `${base(res)}/${id}`);
    });
  }

  router.post("/webhook/:endpointId/reinvia", allow("tenant.configure"), async (req, res) => {
    const id = endpointId(req);
    const b = webhookReplayFormSchema.parse(req.body);
    let request: { eventId: string } | { from: Date; to: Date };
    try {
      if (b.eventId) {
        if (!UUID.test(b.eventId)) throw new FormValidationError({ eventId: "Evento non valido" });
        request = { eventId: b.eventId };
      } else {
        if (!b.dal || !b.al) throw new FormValidationError({ dal: "Indica il primo e l'ultimo giorno" });
        let from: Date, to: Date;
        try {
          [from, to] = [startOfRomeDay(b.dal), new Date(endOfRomeDay(b.al).getTime() + 1)];
        } catch {
          throw new FormValidationError({ dal: "Date non valide" });
        }
        if (from >= to) throw new FormValidationError({ al: "L'ultimo giorno non può precedere il primo" });
        if (to.getTime() - from.getTime() > 7 * 86_400_000 + 3_600_000)
          throw new FormValidationError({ al: "Al massimo 7 giorni per volta" });
        request = { from, to };
      }
      const count = await replayWebhookEvents(
        ctx.deps.db,
        res.locals.tenant!.id,
        id,
        request,
        staffActor(res.locals.staff!),
      );
      await showDetail(res, id, {
        flash: count === 1 ? "Un evento sarà inviato di nuovo." : `${count} eventi saranno inviati di nuovo.`,
      });
    } catch (err) {
      const shown =
        err instanceof FormValidationError
          ? showErrors(err.fieldErrors, WEBHOOK_LABELS)
          : err instanceof AppError && err.code === "WEBHOOK_REPLAY_EMPTY"
            ? formMessage("Nessun evento da reinviare in questo intervallo.")
            : null;
      if (!shown) throw err;
      res.status(422);
      await showDetail(res, id, { shown });
    }
  });
  return router;
}
