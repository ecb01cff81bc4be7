export { createPagopaRegistryClient, type RegistryClientConfig } from "./registry-client.ts";
