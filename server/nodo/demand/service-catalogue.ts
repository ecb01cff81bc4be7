import { z } from "zod";
import type { DemandInput } from "../../positions/index.ts";
import { ServiceDataError, type ServiceDocument } from "./service-data.ts";

/** What a catalogue entry makes of a PSP's demand for a council. */
export type DemandRequestData = Omit<DemandInput, "paymentTypeCode">;

export interface CatalogueService {
  /** idServizio as published in the intermediary's service catalogue (5 characters). */
  idServizio: string;
  /** Code of the council's payment type the demand creates a position of. */
  paymentTypeCode: string;
  /** The catalogue XSD (xsdRiferimento) and its root element. */
  xsd: string;
  namespace: string;
  root: string;
  /** Reads the service data; `idPA` is the council asked. */
  read(content: unknown, idPA: string): DemandRequestData;
}

const CAUSALI: Record<string, string> = {
  "1": "smarrimento",
  "2": "furto",
  "4": "deterioramento",
  "7": "rinnovo per carta scaduta",
  "9": "prima emissione",
  "10": "rinnovo per carta in scadenza",
  "11": "variazioni anagrafiche",
};

const cie = z.strictObject({
  codiceCausale: z.enum(Object.keys(CAUSALI) as [string, ...string[]]),
  codiceFiscaleComune: z.string().regex(/^[0-9]{11}$/),
  intestatario: z.strictObject({
    codiceFiscaleIntestatario: z
      .string()
      .length(16)
      .regex(/^[A-Z]{6}[0-9LMNPQRSTUV]{2}[ABCDEHLMPRST][0-9LMNPQRSTUV]{2}[A-Z][0-9LMNPQRSTUV]{3}[A-Z]$/),
    denominazioneIntestatario: z.string().min(1).max(50),
  }),
});

/**
 * PontePA's service catalogue for paDemandPaymentNotice: each idServizio it publishes, the
 * catalogue XSD its service data follows and the payment type code it maps to in every
 * council. A council offers the service by having a payment type with that code, active and
 * `availableAtPsp`. See docs/decisions/0003-soap-station.md.
 */
export const SERVICE_CATALOGUE: readonly CatalogueService[] = [
  {
    idServizio: "00001",
    paymentTypeCode: "CIE",
    xsd: "Cie_1_0_0.xsd",
    namespace: "http://PuntoAccessoPSP.spcoop.gov.it/pagamentoCIE",
    root: "pagamentoCIE",
    read(content, idPA) {
      const parsed = cie.safeParse(content);
      if (!parsed.success)
        throw new ServiceDataError(`pagamentoCIE non valido: ${parsed.error.issues[0]?.path.join(".")}`);
      const d = parsed.data;
      if (d.codiceFiscaleComune !== idPA) throw new ServiceDataError("codiceFiscaleComune diverso dall'ente richiesto");
      return {
        debtor: {
          type: "F",
          fiscalCode: d.intestatario.codiceFiscaleIntestatario,
          name: d.intestatario.denominazioneIntestatario,
        },
        subject: `Carta d'identità elettronica - ${CAUSALI[d.codiceCausale]} - ${d.intestatario.denominazioneIntestatario}`,
        data: { codiceCausale: d.codiceCausale, causale: CAUSALI[d.codiceCausale]!, idServizio: "00001" },
      };
    },
  },
];

/** The catalogue entry of an idServizio, if PontePA publishes it. */
export function findService(idServizio: string): CatalogueService | undefined {
  return SERVICE_CATALOGUE.find((s) => s.idServizio === idServizio);
}

/** @throws ServiceDataError when the document is not the service's root element. */
export function readServiceDocument(service: CatalogueService, doc: ServiceDocument, idPA: string): DemandRequestData {
  if (doc.root !== service.root || doc.namespace !== service.namespace) {
    throw new ServiceDataError(`atteso ${service.root} (${service.xsd})`);
  }
  return service.read(doc.content, idPA);
}
