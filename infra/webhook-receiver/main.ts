// The demo's webhook receiver as its own process (started by `npm run demo`).
import { startWebhookReceiver } from "./receiver.ts";

const receiver = await startWebhookReceiver({
  port: Number(process.env.WEBHOOK_RECEIVER_PORT ?? 4400),
  secrets: (process.env.WEBHOOK_RECEIVER_SECRETS ?? "").split(",").filter(Boolean),
});
console.log(
  `webhook receiver: POST http://127.0.0.1:${receiver.port}/hooks, list at http://127.0.0.1:${receiver.port}/`,
);
for (const signal of ["SIGINT", "SIGTERM"] as const)
  process.once(signal, () => void receiver.close().finally(() => process.exit(0)));
