import express from "express";
import type { AddressInfo } from "node:net";
import type { Deps } from "../platform/deps.ts";
import { createApp } from "../app.ts";
import { createSoapApp } from "../nodo/soap-app.ts";
import { healthRoutes } from "../platform/http/health.routes.ts";
import { SCHEDULES } from "../jobs.ts";
import { assertProdStationsAuthenticate } from "../nodo/station/check-station-authentication.ts";
import { closeServer, listen } from "./listen.ts";
import { ConfigError } from "../config/env.ts";

export const ROLES = ["api", "soap", "worker", "scheduler"] as const;
export type Role = (typeof ROLES)[number];


/** Reads `--role=api,soap` (default: all roles), rejecting unknown names. */
export function parseRoles(argv: string[]): Role[] {
  const arg = argv.find((a) => a.startsWith("--role="));
  if (!arg) return [...ROLES];
  const names = arg.slice("--role=".length).split(",").map((s) => s.trim()).filter(Boolean);
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
      const soap = createSoapApp(deps);
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
      const workers = deps.jobs.startWorkers(deps.logger);
      const app = express().use(healthRoutes(deps.probes, deps.metrics));
      const server = await listen(app, config.HOST, config.WORKER_METRICS_PORT);
      return {
        role,
        url: urlOf(config.HOST, server.address()),
        async stop() {
          await Promise.all(workers.map((w) => w.close()));
          await closeServer(server);
        },
      };
    }
    case "scheduler": {
      // Job schedulers live in Redis: upserting them is idempotent, so running several
      // scheduler copies (or restarting one) never doubles a recurring job.
      const { Queue } = await import("bullmq");
      for (const s of SCHEDULES) {
        const queue = new Queue(s.queue, { connection: deps.redis, prefix: config.QUEUE_PREFIX });
        await queue.upsertJobScheduler(s.name, { every: s.every }, { name: s.name, data: {} });
        await queue.close();
      }
      deps.logger.info({ schedules: SCHEDULES.map((s) => s.name) }, "job schedulers registered");
      // Alone in a pod, the scheduler needs probes like every role; beside the worker it has none.
      if (config.SCHEDULER_HEALTH_PORT === undefined) return { role, stop: async () => {} };
      const server = await listen(express().use(healthRoutes(deps.probes, deps.metrics)), config.HOST, config.SCHEDULER_HEALTH_PORT);
      return { role, url: urlOf(config.HOST, server.address()), stop: () => closeServer(server) };
    }
  }
}
