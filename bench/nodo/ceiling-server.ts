// The ceiling: a minimal Node HTTP server answering one fixed SOAP response, in its own process.
import http from "node:http";
import { FIXED_VERIFY_RESPONSE } from "./soap-bodies.ts";

const port = Number(process.env.CEILING_PORT ?? 0);
const server = http.createServer((req, res) => {
  req.resume();
  req.on("end", () => {
    res.writeHead(200, { "content-type": "text/xml; charset=utf-8" });
    res.end(FIXED_VERIFY_RESPONSE);
  });
});
server.listen(port, "127.0.0.1", () => {
  const address = server.address();
  process.stdout.write(`listening ${typeof address === "object" && address ? address.port : port}\n`);
});
process.on("SIGTERM", () => server.close(() => process.exit(0)));
