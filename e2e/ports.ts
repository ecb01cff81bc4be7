/**
 * Ports of the e2e platform: apart from the demo's, so both can run on one machine.
 * `E2E_PORT_OFFSET` (default 0) shifts every port, so several checkouts can run e2e side by side.
 */
const offset = Number(process.env.E2E_PORT_OFFSET ?? 0);
const port = (base: number) => base + offset;

export const E2E = {
  api: port(3100),
  soap: port(3101),
  worker: port(3102),
  simulator: port(4110),
  idp: port(4210),
  mailSmtp: port(2535),
  mail: port(4310),
  webhookReceiver: port(4410),
  baseUrl: `http://127.0.0.1:${port(3100)}`,
  simulatorUrl: `http://127.0.0.1:${port(4110)}`,
  idpUrl: `http://127.0.0.1:${port(4210)}`,
  mailUrl: `http://127.0.0.1:${port(4310)}`,
  webhookReceiverUrl: `http://127.0.0.1:${port(4410)}`,
  /**
   * The key the simulated Nodo sends on every call to our station (Ocp-Apim-Subscription-Key).
   * A station without a key ignores it, so the demo's stations keep answering every spec; the
   * adhesion spec sets it on the production station through its page before a go-live.
   */
  nodoSubscriptionKey: "e2e-nodo-subscription-key",
} as const;
