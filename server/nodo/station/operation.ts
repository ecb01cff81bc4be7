import type { z } from "zod";
import type { Database } from "../../platform/db/database.ts";
import type { Logger } from "../../platform/observability/logger.ts";
import type { ReceiptFollowUps } from "../../positions/index.ts";
import type { AmountRules } from "../../catalog/index.ts";
import type { Route, RoutingCache } from "./route-request.ts";
import type { RoutingFields } from "./schemas/requests.schema.ts";

/** What the station's operations need from the platform. */
export interface StationDeps {
  db: Database;
  /** Amount-rule plug-ins: the amount a verify or an activation quotes may depend on the day. */
  amountRules: AmountRules;
  logger: Logger;
  followUps: ReceiptFollowUps;
  /** Routing rows remembered for a few seconds (absent: every request queries). */
  routes?: RoutingCache;
}

export interface OperationContext {
  deps: StationDeps;
  route: Route;
  /** The station's own optional SOAP header values (e.g. paymentToken). */
  headers: Record<string, string>;
  requestId: string;
  /** Budget left for the database work, in milliseconds. */
  timeoutMs: number;
  /** Keys learnt while handling (e.g. the NAV of a notice created on demand), for the journal. */
  found: MessageKeys;
}

/** Journal search keys of a request, known as soon as it validates. */
export interface MessageKeys {
  nav?: string;
  iuv?: string;
  receiptId?: string;
}

/** One paForNode operation: its elements, its request schema and what it does. */
export interface Operation<S extends z.ZodType<RoutingFields> = z.ZodType<RoutingFields>> {
  name: string;
  requestElement: string;
  responseElement: string;
  schema: S;
  keys(request: z.output<S>): MessageKeys;
  /** Rules beyond the XSD: a description of the first one broken, or null. */
  extraRules(request: z.output<S>): string | null;
  /** Returns the response's children after `<outcome>OK</outcome>`; throws for a KO. */
  handle(ctx: OperationContext, request: z.output<S>): Promise<string>;
}

export function defineOperation<S extends z.ZodType<RoutingFields>>(op: Operation<S>): Operation<S> {
  return op;
}
