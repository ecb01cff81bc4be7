import type { PlatformPack } from "../../server/tenancy/index.ts";
import { REGIONAL_SERVICE_TEMPLATES } from "./service-templates.ts";
import { pricedChoice } from "./priced-choice.ts";

// Fictional bodies with checksum-valid codes. Nothing here names a real council or person.
export const REGION = { fiscalCode: "80015570270", name: "Regione Demo (intermediario PontePA)" };
export const PROVINCE_FISCAL_CODE = "00987654324"; // Provincia di Demo, beneficiary of TEFA
export const DEMO_CITIZEN = { fiscalCode: "RSSMRA80A01H501U", name: "Mario Rossi", email: "mario.rossi@example.org" };

const day = 86_400_000;

/** Borgo Fiorito's secretariat fees: a certificate or an identity card. */
const secretariatDocument = pricedChoice("documento", "Documento richiesto", [
  { value: "CERT", label: "Certificato anagrafico", amountCents: 52 },
  { value: "CIE", label: "Carta d'identità elettronica", amountCents: 2222 },
]);
const iso = (d: Date) => d.toISOString();

const tassa = (
  taxonomyCode: string,
  remittanceText: string,
  amountCents: number,
  iban: string,
  beneficiaryFiscalCode?: string,
) => ({
  iban,
  amountCents,
  taxonomyCode,
  remittanceText,
  ...(beneficiaryFiscalCode ? { beneficiaryFiscalCode } : {}),
});

/** The demo platform: the Region, its stations and three councils, with dates relative to `now`. */
export function demoPack(now = new Date()): PlatformPack {
  const inDays = (n: number) => iso(new Date(now.getTime() + n * day));
  const borgo = { iban: "IT68D0306912345100000012345", postal: "IT78N0760103200001012345678" };
  const valle = { iban: "IT91Z0503411701000000004321" };
  const scuola = { iban: "IT30Q0306902100100000067890" };
  const provincia = "IT62L0200860110000000778899";

  return {
    intermediary: REGION,
    stations: [
      { code: `${REGION.fiscalCode}_01`, environment: "PROD", description: "Stazione di produzione" },
      { code: `${REGION.fiscalCode}_02`, environment: "TEST", description: "Stazione di collaudo" },
    ],
    tenants: [
      {
        fiscalCode: "00345670210",
        ipaCode: "c_x001",
        name: "Comune di Borgo Fiorito",
        sector: "Settore Tributi e Servizi al cittadino",
        info: "Piazza Municipio 1, 00100 Borgo Fiorito - tributi@borgofiorito.example",
        segregationCode: "01",
        cbill: "BF001",
        postalAccount: "001012345678",
        status: "LIVE",
        stationCode: `${REGION.fiscalCode}_01`,
        contactEmail: "pagamenti@borgofiorito.example",
        accounts: [
          { iban: borgo.iban, holder: "Comune di Borgo Fiorito - Tesoreria", effectiveFrom: "2025-01-01" },
          { iban: borgo.postal, isPostal: true, holder: "Comune di Borgo Fiorito", effectiveFrom: "2025-01-01" },
        ],
        paymentTypes: [
          {
            code: "DIRITTI_SEGRETERIA",
            name: "Diritti di segreteria",
            taxonomyCode: "9/0103100TS/",
            accountingChapter: "3010.01",
            defaultTransfers: [{ accountIban: borgo.iban, shareBasisPoints: 10_000 }],
            availableOnPortal: true,
            formDefinition: {
              fields: [
                {
                  name: "pratica",
                  label: "Numero pratica",
                  type: "text",
                  required: true,
                  pattern: "^[A-Z0-9/-]{3,20}$",
                  help: "Come indicato nella comunicazione ricevuta",
                },
                secretariatDocument.field,
              ],
              subjectTemplate: "Diritti di segreteria - pratica {{pratica}}",
            },
            amountRule: secretariatDocument.amountRule,
          },
          {
            code: "MENSA_SCOLASTICA",
            name: "Mensa scolastica",
            taxonomyCode: "9/0107101TS/",
            defaultTransfers: [{ accountIban: borgo.iban, shareBasisPoints: 10_000 }],
            availableOnPortal: true,
            formDefinition: {
              fields: [
                { name: "alunno", label: "Codice fiscale dell'alunno", type: "fiscalCode", required: true },
                { name: "mese", label: "Mese di riferimento", type: "date", required: true },
                {
                  name: "importo",
                  label: "Importo da versare (euro)",
                  type: "number",
                  required: true,
                  min: 5,
                  max: 300,
                },
              ],
              subjectTemplate: "Mensa scolastica - alunno {{alunno}}",
            },
            amountRule: { kind: "range", field: "importo", minCents: 500, maxCents: 30_000 },
          },
          {
            code: "CDS",
            name: "Sanzioni codice della strada",
            taxonomyCode: "9/0102106SA/",
            defaultTransfers: [{ accountIban: borgo.iban, shareBasisPoints: 10_000 }],
            availableAtPsp: true,
            amountRule: {
              kind: "plugin",
              plugin: "traffic-fine-early-discount",
              params: { discountPercent: 30, withinDays: 5 },
            },
          },
          {
            code: "TARI",
            name: "TARI - Tassa sui rifiuti",
            taxonomyCode: "9/0101101IM/",
            defaultTransfers: [
              { accountIban: borgo.iban, shareBasisPoints: 9_500 },
              {
                accountIban: provincia,
                beneficiaryFiscalCode: PROVINCE_FISCAL_CODE,
                taxonomyCode: "9/0201102IM/",
                shareBasisPoints: 500,
              },
            ],
          },
        ],
        positions: [
          {
            externalId: "TARI-2026-0001",
            paymentTypeCode: "TARI",
            origin: "SEED",
            debtor: {
              ...DEMO_CITIZEN,
              type: "F",
              address: "Via dei Tigli 4",
              city: "Borgo Fiorito",
              postalCode: "00100",
              province: "RM",
            },
            subject: "TARI 2026 - utenza domestica",
            single: {
              amountCents: 31_500,
              dueDate: inDays(30),
              transfers: [
                tassa("9/0101101IM/", "TARI 2026 quota comunale", 29_925, borgo.iban),
                tassa("9/0201102IM/", "TARI 2026 TEFA", 1_575, provincia, PROVINCE_FISCAL_CODE),
              ],
            },
            installments: [0, 1, 2].map((i) => ({
              amountCents: 10_500,
              dueDate: inDays(30 + 60 * i),
              transfers: [
                tassa("9/0101101IM/", `TARI 2026 rata ${i + 1} quota comunale`, 9_975, borgo.iban),
                tassa("9/0201102IM/", `TARI 2026 rata ${i + 1} TEFA`, 525, provincia, PROVINCE_FISCAL_CODE),
              ],
            })),
          },
          {
            externalId: "CDS-2026-000123",
            paymentTypeCode: "CDS",
            origin: "SEED",
            debtor: { ...DEMO_CITIZEN, type: "F" },
            subject: "Verbale n. 123/2026 - art. 7 CdS",
            data: { notifiedAt: inDays(-2), plate: "AB123CD" },
            single: {
              amountCents: 4_200,
              dueDate: inDays(58),
              transfers: [tassa("9/0102106SA/", "Verbale 123/2026", 4_200, borgo.iban)],
            },
          },
          {
            externalId: "MENSA-2026-10-BNCGLI",
            paymentTypeCode: "MENSA_SCOLASTICA",
            origin: "SEED",
            debtor: { fiscalCode: "BNCGLI85M45L736L", name: "Giulia Bianchi", type: "F" },
            subject: "Mensa scolastica - ottobre 2026",
            single: {
              amountCents: 8_640,
              dueDate: inDays(15),
              transfers: [tassa("9/0107101TS/", "Mensa ottobre 2026", 8_640, borgo.iban)],
            },
          },
        ],
      },
      {
        fiscalCode: "00298130246",
        ipaCode: "c_x002",
        name: "Comune di Valle Serena",
        sector: "Ufficio Ragioneria",
        segregationCode: "02",
        cbill: "VS002",
        status: "LIVE",
        stationCode: `${REGION.fiscalCode}_01`,
        branding: { secondLanguage: "de" },
        accounts: [{ iban: valle.iban, holder: "Comune di Valle Serena", effectiveFrom: "2025-01-01" }],
        paymentTypes: [
          {
            code: "DIRITTI_SEGRETERIA",
            name: "Diritti di segreteria",
            taxonomyCode: "9/0104103SP/",
            defaultTransfers: [{ accountIban: valle.iban, shareBasisPoints: 10_000 }],
            availableOnPortal: true,
            formDefinition: {
              fields: [{ name: "richiesta", label: "Oggetto della richiesta", type: "text", required: true }],
              subjectTemplate: "Diritti di segreteria - {{richiesta}}",
            },
            amountRule: { kind: "fixed", amountCents: 1_600 },
          },
          {
            code: "TRASPORTO_SCOLASTICO",
            name: "Trasporto scolastico",
            taxonomyCode: "9/0107102SP/",
            defaultTransfers: [{ accountIban: valle.iban, shareBasisPoints: 10_000 }],
            availableOnPortal: true,
            formDefinition: {
              fields: [{ name: "alunno", label: "Nome e cognome dell'alunno", type: "text", required: true }],
              subjectTemplate: "Trasporto scolastico - {{alunno}}",
            },
            amountRule: { kind: "fixed", amountCents: 12_000 },
          },
        ],
        positions: [
          {
            externalId: "TRASP-2026-ROSSI",
            paymentTypeCode: "TRASPORTO_SCOLASTICO",
            origin: "SEED",
            debtor: { ...DEMO_CITIZEN, type: "F" },
            subject: "Trasporto scolastico a.s. 2026/2027",
            single: {
              amountCents: 12_000,
              dueDate: inDays(20),
              transfers: [tassa("9/0107102SP/", "Trasporto scolastico 2026/2027", 12_000, valle.iban)],
            },
          },
        ],
      },
      {
        fiscalCode: "80044120154",
        ipaCode: "istsc_x003",
        name: "Istituto Comprensivo Monte Chiaro",
        segregationCode: "03",
        status: "TEST",
        stationCode: `${REGION.fiscalCode}_02`,
        accounts: [{ iban: scuola.iban, holder: "I.C. Monte Chiaro", effectiveFrom: "2025-09-01" }],
        paymentTypes: [
          {
            code: "RETTE",
            name: "Contributo scolastico",
            taxonomyCode: "9/0107100TS/",
            defaultTransfers: [{ accountIban: scuola.iban, shareBasisPoints: 10_000 }],
            availableOnPortal: true,
            formDefinition: {
              fields: [{ name: "alunno", label: "Nome e cognome dell'alunno", type: "text", required: true }],
              subjectTemplate: "Contributo scolastico - {{alunno}}",
            },
            amountRule: { kind: "fixed", amountCents: 3_000 },
          },
        ],
        positions: [],
      },
    ],
    serviceTemplates: REGIONAL_SERVICE_TEMPLATES,
  };
}
