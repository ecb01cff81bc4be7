import { ConfigError, loadConfig } from "./config/env.ts";
import { createDeps } from "./platform/deps.ts";
import { AMOUNT_RULE_PLUGINS } from "../tenants/plugins/index.ts";
import { parseRoles, startRole, type Role, type RunningRole } from "./roles/roles.ts";
import { runSoapPrimary, shouldForkSoapWorkers } from "./roles/soap-cluster.ts";
import { checkDatabaseSettings } from "./platform/db/check-database-settings.ts";

async function main(): Promise<void> {
  let roles: Role[];
  let config;
  let fork = false;
  try {
    roles = parseRoles(process.argv.slice(2));
    config = loadConfig(process.env);
    fork = shouldForkSoapWorkers(roles, config.SOAP_WORKERS);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`PontePA cannot start. ${err.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw err;
  }
  if (fork) {
    runSoapPrimary(config.SOAP_WORKERS, (message) => process.stderr.write(`${message}\n`));
    return;
  }
  const deps = createDeps(config, roles.join("+"), { amountRulePlugins: AMOUNT_RULE_PLUGINS });
  const running: RunningRole[] = [];
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    deps.logger.info({ signal }, "stopping");
    // Stopping is bounded: whatever still hangs after 15 s is cut off.
    setTimeout(() => process.exit(1), 15_000).unref();
    await Promise.allSettled(running.map((r) => r.stop()));
    await deps.close();
    process.exit(0);
  };
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));
  try {
    // The scheduler first: it reconciles Redis with this release's schedules, which the worker
    // checks before it starts (it refuses a schedule naming a job it has no handler for).
    const order = [...roles].sort((a, b) => Number(b === "scheduler") - Number(a === "scheduler"));
    for (const role of order) running.push(await startRole(role, deps));
  } catch (err) {
    deps.logger.fatal({ err }, "a role failed to start");
    await Promise.allSettled(running.map((r) => r.stop()));
    await deps.close();
    // A boot check's refusal (e.g. a PROD station without caller authentication) reads like the env check's.
    if (err instanceof ConfigError) process.stderr.write(`PontePA cannot start. ${err.message}\n`);
    process.exit(err instanceof ConfigError ? 78 : 1);
  }
  deps.logger.info({ roles: running.map((r) => ({ role: r.role, url: r.url })) }, "PontePA started");
  // Settings the platform cannot fix itself, said once where operators read the logs.
  checkDatabaseSettings(deps.db).then(
    (warnings) => warnings.forEach(({ message, ...setting }) => deps.logger.warn(setting, message)),
    () => undefined, // unreachable database: /readyz says so
  );
}

await main();
