import express from "express";
import type { AddressInfo } from "node:net";
import type { Deps } from "../platform/deps.ts";
import { createApp } from "../app.ts";
import { createSoapApp } from "../nodo/soap-app.ts";
import { healthAccess, healthRoutes } from "../platform/http/health.routes.ts";
import { assertProdStationsAuthenticate } from "../nodo/station/check-station-authentication.ts";
import { receiptRegisteredJob } from "../notifications/index.ts";
import { closeServer, listen } from "./listen.ts";
import { ConfigError } from "../config/env.ts";

export const ROLES = ["api", "soap", "worker", "scheduler"] as const;
export type Role = (typeof ROLES)[number];

/** Reads `--role=api,soap` (default: all roles), rejecting unknown names. */
export function parseRoles(argv: string[]): Role[] {
  const arg = argv.find((a) => a.startsWith("--role="));
  if (!arg) return [...ROLES];
  const names = arg
    .slice("--role=".length)
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  const unknown = names.filter((n) => !(ROLES as readonly string[]).includes(n));
  if (unknown.length || names.length === 0) {
    throw new ConfigError([`--role: unknown role(s) ${unknown.join(", ") || "(none)"}; known: ${ROLES.join(", ")}`]);
  }
  return [...new Set(names)] as Role[];
}

export interface RunningRole {
  role: Role;
  url?: string;
  stop(): Promise<void>;
}

const urlOf = (host: string, address: AddressInfo | string | null) =>
  typeof address === "object" && address ? `http://${host}:${address.port}` : String(address);

/** Starts one process role. Every role answers /healthz, /readyz and /metrics. */
export async function startRole(role: Role, deps: Deps): Promise<RunningRole> {
  const { config } = deps;
  switch (role) {
    case "api": {
      const server = await listen(createApp(deps), config.HOST, config.API_PORT);
      return { role, url: urlOf(config.HOST, server.address()), stop: () => closeServer(server) };
    }
    case "soap": {
      if (config.NODE_ENV === "production") await assertProdStationsAuthenticate(deps.db);
      // The station stores receipts; their follow-ups (the payer's e-mail) run on the worker.
      const soap = createSoapApp(deps, async (event) => {
        await deps.jobs.enqueue(receiptRegisteredJob, event);
      });
      const server = await listen(soap.handler, config.HOST, config.SOAP_PORT);
      // The Nodo's hard timeout is 7 s (15 s for sendRT): never keep a socket longer than that.
      server.requestTimeout = 20_000;
      return {
        role,
        url: urlOf(config.HOST, server.address()),
        async stop() {
          await closeServer(server);
          await soap.close();
        },
      };
    }
    case "worker": {
      // Fail fast, like a missing env variable: a schedule in Redis naming a job this release
      // has no handler for would fail on every run.
      await deps.jobs.checkSchedulers();
      const workers = deps.jobs.startWorkers(deps);
      const app = express().use(healthRoutes(deps.probes, deps.metrics, healthAccess(config)));
      const server = await listen(app, config.HOST, config.WORKER_METRICS_PORT);
      return {
        role,
        url: urlOf(config.HOST, server.address()),
        async stop() {
          // Drain, then close anyway: a job stuck on an unreachable service (a reporting flow
          // fetch retrying a dead endpoint) must not hold a pod past its grace period.
          const drained = Promise.all(workers.map((w) => w.close()));
          const timer = new Promise<"late">((r) => setTimeout(r, config.WORKER_DRAIN_MS, "late").unref());
          if ((await Promise.race([drained, timer])) === "late") {
            deps.logger.warn({ drainMs: config.WORKER_DRAIN_MS }, "worker stopping with jobs still running");
            await Promise.all(workers.map((w) => w.close(true)));
          }
          await closeServer(server);
        },
      };
    }
    case "scheduler": {
      // Job schedulers live in Redis, derived from the job definitions: upserting them is
      // idempotent, so several scheduler copies (or a restart) never double a recurring job;
      // schedules no registered job claims (an older release's) are removed.
      const { upserted, removed } = await deps.jobs.syncSchedulers();
      if (removed.length) deps.logger.warn({ removed }, "removed job schedulers of jobs this release does not have");
      deps.logger.info({ schedules: upserted }, "job schedulers registered");
      // Alone in a pod, the scheduler needs probes like every role; beside the worker it has none.
      if (config.SCHEDULER_HEALTH_PORT === undefined) return { role, stop: async () => {} };
      const server = await listen(
        express().use(healthRoutes(deps.probes, deps.metrics)),
        config.HOST,
        config.SCHEDULER_HEALTH_PORT,
      );
      return { role, url: urlOf(config.HOST, server.address()), stop: () => closeServer(server) };
    }
  }
}
