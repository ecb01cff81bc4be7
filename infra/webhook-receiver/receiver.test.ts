import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateSecret, signedHeaders } from "../../server/webhooks/signature.ts";
import { signatureMatches, startWebhookReceiver, type WebhookReceiver } from "./receiver.ts";

// The receiver verifies on its own code; PontePA's signer must satisfy it (and the spec's vector).
describe("demo webhook receiver", () => {
  let receiver: WebhookReceiver;
  const secret = generateSecret();
  beforeAll(async () => {
    receiver = await startWebhookReceiver({ port: 0, secrets: [secret] });
  });
  afterAll(() => receiver.close());
  const send = (headers: Record<string, string>, body: string) =>
    fetch(`http://127.0.0.1:${receiver.port}/hooks`, {
      method: "POST",
      headers: { ...headers, "content-type": "application/json" },
      body,
    });

  it("accepts the Standard Webhooks test vector", () => {
    expect(
      signatureMatches(
        "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
        "msg_p5jXN8AQM9LWM0D4loKWxJek",
        "1614265330",
        "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
        '{"test": 2432232314}',
      ),
    ).toBe(true);
  });

  it("stores what arrives, checks signatures, marks repeats, and plays an outage", async () => {
    const body = JSON.stringify({ type: "position.paid", timestamp: new Date().toISOString(), data: {} });
    const now = Math.floor(Date.now() / 1000);
    expect((await send({ ...signedHeaders([secret], "evt-1", now, body) }, body)).status).toBe(200);
    expect((await send({ ...signedHeaders([generateSecret()], "evt-2", now, body) }, body)).status).toBe(401);
    await fetch(`http://127.0.0.1:${receiver.port}/fuori-servizio`, { method: "POST", redirect: "manual" });
    expect((await send({ ...signedHeaders([secret], "evt-1", now, body) }, body)).status).toBe(503);
    await fetch(`http://127.0.0.1:${receiver.port}/in-servizio`, { method: "POST", redirect: "manual" });
    expect((await send({ ...signedHeaders([secret], "evt-1", now, body) }, body)).status).toBe(200);
    const arrived = (await (await fetch(`http://127.0.0.1:${receiver.port}/messages`)).json()) as Array<{
      id: string;
      signature: string;
      repeat: boolean;
      type: string;
    }>;
    expect(arrived.map((a) => [a.id, a.signature, a.repeat])).toEqual([
      ["evt-1", "valid", false],
      ["evt-2", "invalid", false],
      ["evt-1", "valid", true],
      ["evt-1", "valid", true],
    ]);
    const page = await (await fetch(`http://127.0.0.1:${receiver.port}/`)).text();
    expect(page).toContain("Ricevitore webhook di prova (4 ricevuti)");
    expect(page).toContain("firma NON valida");
    expect(page).toContain("position.paid");
  });

  it("stands in for a council portal's return page (OTF), escaping what the query says", async () => {
    const res = await fetch(`http://127.0.0.1:${receiver.port}/portale-ente/esito?paymentId=<b>x</b>&esito=ok`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain("Portale dell'ente: pagamento riuscito");
    expect(html).toContain("&#60;b&#62;x&#60;/b&#62;");
    expect((await fetch(`http://127.0.0.1:${receiver.port}/altro`)).status).toBe(404);
  });
});
