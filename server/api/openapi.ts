import { z } from "zod";
import { WRITE_METHODS, type Operation } from "./operation.ts";
import { problemSchema, text } from "./schemas/common.ts";

type Json = Record<string, unknown>;

/** A zod schema as JSON Schema 2020-12, the dialect of OpenAPI 3.1 (zod 4's own converter). */
function jsonSchema(schema: z.ZodType, io: "input" | "output"): Json {
  const out = z.toJSONSchema(schema, { target: "draft-2020-12", io, unrepresentable: "any", reused: "inline" }) as Json;
  delete out.$schema;
  return out;
}

/** `/tenants/:ipa/positions/:positionId` → `/tenants/{ipa}/positions/{positionId}`. */
export const openApiPath = (expressPath: string) => expressPath.replace(/:(\w+)/g, "{$1}");

const problem = (it: string, en: string) => ({
  description: text({ it, en }),
  content: { "application/problem+json": { schema: { $ref: "#/components/schemas/Problem" } } },
});

const RATE_HEADERS = {
  "RateLimit-Limit": {
    description: "Richieste al minuto per client. *EN:* Requests per minute per client.",
    schema: { type: "integer" },
  },
  "RateLimit-Remaining": {
    description: "Richieste rimaste nella finestra. *EN:* Requests left in the window.",
    schema: { type: "integer" },
  },
  "RateLimit-Reset": {
    description: "Secondi alla nuova finestra. *EN:* Seconds to the next window.",
    schema: { type: "integer" },
  },
};

function parameters(op: Operation): Json[] {
  const out: Json[] = [];
  for (const [name, schema] of Object.entries(op.params.shape))
    out.push({ name, in: "path", required: true, schema: jsonSchema(schema as z.ZodType, "input") });
  for (const [name, schema] of Object.entries(op.query?.shape ?? {})) {
    const s = jsonSchema(schema as z.ZodType, "input");
    const { description, ...rest } = s;
    out.push({
      name,
      in: "query",
      required: !(schema as z.ZodType).safeParse(undefined).success,
      ...(description ? { description } : {}),
      schema: rest,
    });
  }
  if (WRITE_METHODS.has(op.method))
    out.push({
      name: "Idempotency-Key",
      in: "header",
      required: false,
      description: text({
        it: "Chiave scelta dal client (es. un UUID): una ripetizione con la stessa chiave restituisce la prima risposta; la stessa chiave con un'altra richiesta è 422. Conservata per API_IDEMPOTENCY_TTL_HOURS ore.",
        en: "Client-chosen key (e.g. a UUID): a repeat with the same key returns the first answer; the same key with another request is 422. Kept for API_IDEMPOTENCY_TTL_HOURS hours.",
      }),
      schema: { type: "string", minLength: 1, maxLength: 255 },
      example: "5f0c3a7e-8d1b-4c55-9a55-0c6f5a1e2b3c",
    });
  return out;
}

function responses(op: Operation): Json {
  const out: Json = {};
  for (const [status, spec] of Object.entries(op.responses)) {
    const content = spec.pdf
      ? { "application/pdf": { schema: { type: "string", contentMediaType: "application/pdf" } } }
      : spec.file
        ? Object.fromEntries(spec.file.map((type) => [type, { schema: { type: "string", contentMediaType: type } }]))
        : spec.schema
          ? { "application/json": { schema: jsonSchema(spec.schema, "output") } }
          : undefined;
    out[status] = { description: text(spec.description), headers: RATE_HEADERS, ...(content ? { content } : {}) };
  }
  out["400"] = problem("Richiesta non valida", "Invalid request");
  out["401"] = problem("Token mancante o non valido", "Missing or invalid token");
  out["403"] = problem(
    "Il client non può agire per questo ente o non ha il ruolo",
    "The client may not act for this council or lacks the role",
  );
  out["404"] = problem("Non trovato (anche: oggetto di un altro ente)", "Not found (also: another council's object)");
  if (WRITE_METHODS.has(op.method)) {
    out["409"] = problem("Conflitto (con il motivo)", "Conflict (with the reason)");
    out["422"] = problem("Regola non rispettata o Idempotency-Key riusata", "Rule not met or Idempotency-Key reused");
  }
  out["429"] = problem("Troppe richieste (Retry-After)", "Too many requests (Retry-After)");
  return out;
}

/**
 * The OpenAPI 3.1 document of the REST API, built from the very operations Express serves
 * (`defineOperation`): path, parameters, body and answers come from the zod schemas the routes
 * validate with, so there is no second copy to keep in step.
 */
export function buildOpenApiDocument(
  operations: readonly Operation[],
  options: { issuer: string; serverUrl?: string },
): Json {
  const paths: Record<string, Json> = {};
  for (const op of operations) {
    const path = openApiPath(op.path);
    paths[path] ??= {};
    paths[path][op.method] = {
      operationId: op.operationId,
      tags: [op.tag],
      summary: `${op.summary.it} / ${op.summary.en}`,
      description: text(op.description ?? op.summary) + `\n\nRuolo richiesto / required role: \`${op.role}\``,
      security: [{ oauth2: [] }],
      parameters: parameters(op),
      ...(op.upload
        ? {
            requestBody: {
              required: true,
              content: {
                "multipart/form-data": {
                  schema: {
                    type: "object",
                    required: [op.upload.field],
                    properties: {
                      [op.upload.field]: {
                        type: "string",
                        contentMediaType: "application/octet-stream",
                        description: text(op.upload.description),
                      },
                    },
                  },
                },
              },
            },
          }
        : {}),
      ...(op.body
        ? {
            requestBody: {
              required: true,
              content: {
                "application/json": {
                  schema: jsonSchema(op.body, "input"),
                  ...(op.example === undefined ? {} : { example: op.example }),
                },
              },
            },
          }
        : {}),
      responses: responses(op),
    };
  }
  const issuer = options.issuer.replace(/\/+$/, "");
  return {
    openapi: "3.1.0",
    info: {
      title: "PontePA API",
      version: "1.0.0",
      description: text({
        it: "API per i gestionali degli enti: posizioni debitorie, avvisi, ricevute. Token OAuth2 client credentials del realm, legati a un ente (gruppo `/tenants/<ipa>/systems`). Importi in centesimi; istanti in UTC; scadenze come giorni (ora di Roma). Errori in problem+json.",
        en: "API for councils' systems: debt positions, notices, receipts. OAuth2 client-credentials tokens of the realm, bound to one council (group `/tenants/<ipa>/systems`). Amounts in euro cents; instants in UTC; due dates as days (Rome time). Errors as problem+json.",
      }),
    },
    servers: [{ url: options.serverUrl ?? "/api/v1" }],
    tags: [
      { name: "positions", description: "Posizioni debitorie / Debt positions" },
      { name: "notices", description: "Avvisi di pagamento / Payment notices" },
      { name: "receipts", description: "Ricevute / Receipts" },
      { name: "payment-types", description: "Tipi di pagamento / Payment types" },
      { name: "imports", description: "Importazioni da file / File imports" },
      { name: "exports", description: "Esportazioni / Exports" },
      { name: "treasury", description: "Giornali di cassa del tesoriere / Treasurer's journals" },
    ],
    paths,
    components: {
      schemas: { Problem: jsonSchema(problemSchema, "output") },
      securitySchemes: {
        oauth2: {
          type: "oauth2",
          flows: { clientCredentials: { tokenUrl: `${issuer}/protocol/openid-connect/token`, scopes: {} } },
        },
      },
    },
  };
}
