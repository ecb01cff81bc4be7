// The development mail catcher as its own process (started by `npm run demo` and the e2e platform).
import { startMailCatcher } from "./catcher.ts";

const catcher = await startMailCatcher({
  smtpPort: Number(process.env.MAIL_CATCHER_SMTP_PORT ?? 2525),
  httpPort: Number(process.env.MAIL_CATCHER_HTTP_PORT ?? 4300),
});
console.log(`mail catcher: SMTP on 127.0.0.1:${catcher.smtpPort}, messages at http://127.0.0.1:${catcher.httpPort}/`);
for (const signal of ["SIGINT", "SIGTERM"] as const)
  process.once(signal, () => void catcher.close().finally(() => process.exit(0)));
