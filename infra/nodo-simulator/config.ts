import path from "node:path";
import { z } from "zod";

const root = path.resolve(import.meta.dirname, "../..");

/** The simulator's settings, each with the default the demo uses. */
export const simulatorConfigSchema = z.object({
  NODO_SIM_HOST: z.string().default("127.0.0.1"),
  NODO_SIM_PORT: z.coerce.number().int().min(0).max(65535).default(4100),
  NODO_SIM_PUBLIC_URL: z.url().default("http://127.0.0.1:4100"),
  NODO_SIM_STATION_URL: z.url().default("http://127.0.0.1:3001/nodo/paForNode"),
  NODO_SIM_BROKER_PA: z
    .string()
    .regex(/^\d{11}$/)
    .default("80015570270"),
  NODO_SIM_STATION_ID: z.string().min(1).default("80015570270_01"),
  NODO_SIM_SUBSCRIPTION_KEY: z.string().optional(),
  NODO_SIM_CHECKOUT_KEY: z.string().optional(),
  /** Required of callers of the back-office API when set (Ocp-Apim-Subscription-Key). */
  NODO_SIM_BACKOFFICE_KEY: z.string().optional(),
  /** Required of callers of the biz-events API when set (Ocp-Apim-Subscription-Key). */
  NODO_SIM_BIZEVENTS_KEY: z.string().optional(),
  /** Required of callers of the ACA API when set (Ocp-Apim-Subscription-Key). */
  NODO_SIM_ACA_KEY: z.string().optional(),
  NODO_SIM_DATA_DIR: z.string().default(path.join(root, ".data/nodo-simulator")),
  NODO_SIM_TIMEOUT_MS: z.coerce.number().int().min(100).default(7_000),
  PAGOPA_SPECS_DIR: z.string().default(path.join(root, "../shared/specs/pagopa")),
});

export type SimulatorConfig = z.infer<typeof simulatorConfigSchema>;

export function loadSimulatorConfig(env: NodeJS.ProcessEnv): SimulatorConfig {
  const known = Object.fromEntries(
    Object.keys(simulatorConfigSchema.shape).map((k) => [k, env[k] === "" ? undefined : env[k]]),
  );
  const config = simulatorConfigSchema.parse(known);
  return {
    ...config,
    PAGOPA_SPECS_DIR: path.resolve(root, config.PAGOPA_SPECS_DIR),
    NODO_SIM_DATA_DIR: path.resolve(root, config.NODO_SIM_DATA_DIR),
  };
}
