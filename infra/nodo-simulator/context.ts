import type { SimulatorConfig } from "./config.ts";
import type { Faults } from "./faults.ts";
import type { StationClient } from "./station-client.ts";
import type { SimulatorStore } from "./store.ts";
import type { XsdChecker } from "./xsd-check.ts";

export type Log = (level: "info" | "warn" | "error", msg: string, extra?: object) => void;

export interface SimulatorContext {
  config: SimulatorConfig;
  station: StationClient;
  store: SimulatorStore;
  faults: Faults;
  xsd: XsdChecker;
  log: Log;
}
