import express from "express";
import { describe, expect, it, vi } from "vitest";
import type { Tenant } from "../../generated/prisma/client.ts";
import type { AppError } from "../errors.ts";
import { resolveTenant, tenantOf } from "./resolve-tenant.ts";

const borgo = { id: "t-1", ipaCode: "c_x001", name: "Borgo", status: "LIVE" } as unknown as Tenant;

/** A tiny app: the resolver in front of one handler echoing the council it saw. */
async function call(path: string, options: Partial<Parameters<typeof resolveTenant>[0]> = {}) {
  const find = vi.fn(async (ipa: string) => (ipa === "c_x001" ? borgo : null));
  const app = express();
  app.get("/enti/:ipa", resolveTenant({ find, ...options }), (_req, res) => {
    res.json({ id: tenantOf(res).id });
  });
  app.use((err: AppError, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
    res.status(err.status).json({ code: err.code, message: err.message });
  });
  const server = app.listen(0);
  const port = (server.address() as { port: number }).port;
  try {
    const res = await fetch(`http://127.0.0.1:${port}${path}`);
    return { status: res.status, body: (await res.json()) as Record<string, string>, find };
  } finally {
    server.close();
  }
}

describe("resolveTenant", () => {
  it("stores the council named by :ipa, case-insensitively", async () => {
    const { status, body } = await call("/enti/C_X001");
    expect(status).toBe(200);
    expect(body.id).toBe("t-1");
  });

  it("refuses a caller who may not act for the code before looking anything up", async () => {
    const { status, body, find } = await call("/enti/c_x001", { authorize: () => false });
    expect(status).toBe(403);
    expect(body.code).toBe("FORBIDDEN");
    expect(find).not.toHaveBeenCalled();
  });

  it("answers 404 for an unknown code, a malformed one, or a council not visible here", async () => {
    expect((await call("/enti/c_zzzz")).status).toBe(404);
    const malformed = await call("/enti/..%2f..");
    expect(malformed.status).toBe(404);
    expect(malformed.find).not.toHaveBeenCalled();
    expect((await call("/enti/c_x001", { visible: () => false })).status).toBe(404);
  });

  it("tenantOf fails loudly on a route mounted without the resolver", () => {
    const res = { locals: {} } as unknown as express.Response;
    expect(() => tenantOf(res)).toThrow(/without resolveTenant/);
  });
});
