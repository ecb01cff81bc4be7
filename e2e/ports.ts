/** Ports of the e2e platform: apart from the demo's, so both can run on one machine. */
export const E2E = {
  api: 3100,
  soap: 3101,
  worker: 3102,
  simulator: 4110,
  idp: 4210,
  mailSmtp: 2535,
  mail: 4310,
  baseUrl: "http://127.0.0.1:3100",
  simulatorUrl: "http://127.0.0.1:4110",
  idpUrl: "http://127.0.0.1:4210",
  mailUrl: "http://127.0.0.1:4310",
} as const;
