import express, { Router } from "express";
import { z } from "zod";
import type { SimulatorContext } from "./context.ts";
import { faultPlanSchema } from "./faults.ts";
import { payNotice } from "./payment-flow.ts";
import { PSPS } from "./station-client.ts";

const noticeSchema = z.object({
  fiscalCode: z.string().regex(/^\d{11}$/),
  noticeNumber: z.string().regex(/^\d{18}$/),
  pspId: z.string().optional(),
  /** The station serving the council, when not the simulator's default (the Nodo knows it from its registry). */
  stationId: z
    .string()
    .regex(/^\d{11}_\d{2}$/)
    .optional(),
});

/** A PSP counter (a tabaccheria, a bank app): verify or pay a notice by its code. */
export function pspRoutes(ctx: SimulatorContext): Router {
  const router = Router();
  router.use("/psp", express.json({ limit: "16kb" }));

  router.get("/psp/list", (_req, res) => {
    res.json(PSPS);
  });

  router.post("/psp/verify", async (req, res) => {
    const n = noticeSchema.safeParse(req.body);
    if (!n.success) return res.status(400).json({ error: n.error.issues });
    const station = n.data.stationId ? ctx.station.withStation(n.data.stationId) : ctx.station;
    const answer = await station.verify(n.data.fiscalCode, n.data.noticeNumber);
    res.json({ ok: answer.ok, faultCode: answer.faultCode, ms: Math.round(answer.ms), answer: answer.payload });
  });

  router.post("/psp/pay", async (req, res) => {
    const n = noticeSchema.safeParse(req.body);
    if (!n.success) return res.status(400).json({ error: n.error.issues });
    const psp = PSPS.find((p) => p.idPSP === n.data.pspId) ?? PSPS[2]!;
    // An explicit per-call fault plan wins over the admin-wide one (handy for tests).
    const perCall = faultPlanSchema.safeParse(req.body.faults ?? {});
    const faults = req.body.faults && perCall.success ? perCall.data : ctx.faults.take();
    const result = await payNotice(
      n.data.stationId ? ctx.station.withStation(n.data.stationId) : ctx.station,
      ctx.store,
      { idPA: n.data.fiscalCode, nav: n.data.noticeNumber, psp },
      faults,
    );
    res.status(result.ok ? 200 : 422).json(result);
  });

  return router;
}
