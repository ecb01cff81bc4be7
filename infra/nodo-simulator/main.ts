// Starts the Nodo simulator as its own process (npm run demo starts it beside the platform).
import { loadSimulatorConfig } from "./config.ts";
import { createSimulator, jsonLog } from "./app.ts";

const config = loadSimulatorConfig(process.env);
const { app } = createSimulator(config);
const server = app.listen(config.NODO_SIM_PORT, config.NODO_SIM_HOST, () => {
  jsonLog(
    "info",
    `Nodo simulator on ${config.NODO_SIM_PUBLIC_URL}, calling the station at ${config.NODO_SIM_STATION_URL}`,
  );
});
const stop = () => server.close(() => process.exit(0));
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
