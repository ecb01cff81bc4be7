import { z } from "zod";
import { AppError } from "../../platform/errors.ts";
import { romeDayOf } from "../../platform/rome-day.ts";
import type { PagopaRegistry } from "../../pagopa/index.ts";

export interface RegistryClientConfig {
  /** e.g. https://api.platform.pagopa.it/backoffice/external/ec/v1, or the simulator's. */
  baseUrl: string;
  subscriptionKey?: string;
  timeoutMs: number;
}

const pageInfo = z.object({ page: z.number(), limit: z.number(), totalPages: z.number() });
const institutionsPage = z.object({
  creditorInstitutions: z.array(
    z.object({
      taxCode: z.string(),
      companyName: z.string(),
      stationId: z.string().optional(),
      stationState: z.string().optional(),
      ciStatus: z.boolean(),
      auxDigit: z.string(),
      segregationCode: z.string().optional(),
      cbillCode: z.string().optional(),
    }),
  ),
  pageInfo,
});
const ibansPage = z.object({
  ibans: z.array(
    z.object({ ciFiscalCode: z.string(), iban: z.string(), status: z.string(), validityDate: z.string() }),
  ),
  pageInfo,
});

/** A page of 100 (the API's maximum); a broker with more councils than this many pages is not real. */
const LIMIT = 100;
const MAX_PAGES = 200;

/**
 * Client of pagoPA's "Backoffice External for EC" API (openapi_backoffice_external_ec.json):
 * the broker's creditor institutions and their IBANs, read page by page. A 404 for the
 * institutions means pagoPA knows none for this broker.
 */
export function createPagopaRegistryClient(config: RegistryClientConfig): PagopaRegistry {
  const base = config.baseUrl.replace(/\/+$/, "");

  async function all<T extends z.ZodType<{ pageInfo: { totalPages: number } }>>(
    path: string,
    schema: T,
  ): Promise<z.infer<T>[]> {
    const pages: z.infer<T>[] = [];
    for (let page = 0; page < MAX_PAGES; page++) {
      const res = await fetch(`${base}${path}?page=${page}&limit=${LIMIT}`, {
        headers: {
          accept: "application/json",
          ...(config.subscriptionKey ? { "Ocp-Apim-Subscription-Key": config.subscriptionKey } : {}),
        },
        signal: AbortSignal.timeout(config.timeoutMs),
      }).catch((err: Error) => {
        throw new AppError(
          "PAGOPA_REGISTRY_UNREACHABLE",
          `pagoPA's back-office API is not reachable: ${err.message}`,
          502,
        );
      });
      if (res.status === 404 && path.endsWith("/creditor_institutions")) return pages;
      if (!res.ok)
        throw new AppError(
          "PAGOPA_REGISTRY_REJECTED",
          `pagoPA's back-office API answered ${res.status} for ${path}`,
          502,
        );
      const body = schema.safeParse(await res.json().catch(() => null));
      if (!body.success)
        throw new AppError(
          "PAGOPA_REGISTRY_REJECTED",
          `pagoPA's back-office API answered an unexpected body for ${path}`,
          502,
        );
      pages.push(body.data);
      if (page + 1 >= body.data.pageInfo.totalPages) break;
    }
    return pages;
  }

  return {
    async institutions(broker) {
      const pages = await all(`/brokers/${encodeURIComponent(broker)}/creditor_institutions`, institutionsPage);
      return pages.flatMap((p) =>
        p.creditorInstitutions.map((ci) => ({
          fiscalCode: ci.taxCode,
          name: ci.companyName,
          stationCode: ci.stationId ?? null,
          stationEnabled: ci.stationState !== "disabled",
          enabled: ci.ciStatus,
          auxDigit: ci.auxDigit,
          segregationCode: ci.segregationCode ?? null,
          cbill: ci.cbillCode ?? null,
        })),
      );
    },
    async ibans(broker) {
      const pages = await all(`/brokers/${encodeURIComponent(broker)}/ibans`, ibansPage);
      return pages.flatMap((p) =>
        p.ibans.map((i) => ({
          fiscalCode: i.ciFiscalCode,
          iban: i.iban.replace(/\s+/g, "").toUpperCase(),
          enabled: i.status === "ENABLED",
          validFrom: romeDayOf(new Date(i.validityDate)),
        })),
      );
    },
  };
}
