import type { PlatformPack } from "../../server/tenancy/index.ts";
import { pricedChoice } from "./priced-choice.ts";

type Templates = NonNullable<PlatformPack["serviceTemplates"]>;

const certificate = pricedChoice("tipo", "Tipo di rilascio", [
  { value: "libera", label: "In carta libera", amountCents: 26 },
  { value: "bollo", label: "In bollo", amountCents: 52 },
]);
const surface = pricedChoice("superficie", "Superficie occupata", [
  { value: "piccola", label: "Fino a 10 m²", amountCents: 2_500 },
  { value: "media", label: "Da 10 a 50 m²", amountCents: 8_000 },
]);

/**
 * The Region's catalogue of standard services for its councils: each a payment type without
 * accounts, which a council copies (choosing its own IBAN) and then adjusts. Amounts are the
 * common national ones where there is one (identity card), typical ones otherwise.
 */
export const REGIONAL_SERVICE_TEMPLATES: Templates = [
  {
    code: "CERTIFICATI_ANAGRAFICI",
    name: "Diritti di segreteria per certificati anagrafici",
    description: "Diritti per il rilascio di certificati anagrafici, in carta libera o in bollo.",
    taxonomyCode: "9/0104103SP/",
    formDefinition: {
      fields: [
        { name: "certificato", label: "Certificato richiesto", type: "text", required: true },
        certificate.field,
      ],
      subjectTemplate: "Diritti certificato {{certificato}} ({{tipo}})",
    },
    amountRule: certificate.amountRule,
  },
  {
    code: "CARTA_IDENTITA",
    name: "Carta d'identità elettronica",
    description: "Corrispettivo e diritti per l'emissione della carta d'identità elettronica, allo sportello.",
    taxonomyCode: "9/0104100TS/",
    tariffs: [
      {
        code: "ORDINARIA",
        label: "Carta d'identità ordinaria",
        amountCents: 2_221,
        roles: ["tenant-admin", "operator"],
      },
      {
        code: "DUPLICATO",
        label: "Duplicato (smarrimento o furto)",
        amountCents: 2_737,
        roles: ["tenant-admin", "operator"],
      },
    ],
  },
  {
    code: "MENSA_SCOLASTICA",
    name: "Mensa scolastica",
    description: "Ricarica o retta del servizio di refezione scolastica.",
    taxonomyCode: "9/0107101TS/",
    formDefinition: {
      fields: [
        { name: "alunno", label: "Codice fiscale dell'alunno", type: "fiscalCode", required: true },
        { name: "importo", label: "Importo della ricarica (€)", type: "number", required: true, min: 5, max: 500 },
      ],
      subjectTemplate: "Mensa scolastica - {{alunno}}",
    },
    amountRule: { kind: "range", field: "importo", minCents: 500, maxCents: 50_000 },
  },
  {
    code: "TRASPORTO_SCOLASTICO",
    name: "Trasporto scolastico",
    taxonomyCode: "9/0107102SP/",
    formDefinition: {
      fields: [{ name: "alunno", label: "Nome e cognome dell'alunno", type: "text", required: true }],
      subjectTemplate: "Trasporto scolastico - {{alunno}}",
    },
    amountRule: { kind: "fixed", amountCents: 12_000 },
  },
  {
    code: "SANZIONI_CDS",
    name: "Sanzioni codice della strada",
    description: "Pagamento di un verbale della polizia locale.",
    taxonomyCode: "9/0102106SA/",
    formDefinition: {
      fields: [
        { name: "verbale", label: "Numero del verbale", type: "text", required: true },
        { name: "targa", label: "Targa del veicolo", type: "plate", required: true },
        { name: "importo", label: "Importo indicato sul verbale (€)", type: "number", required: true, min: 1 },
      ],
      subjectTemplate: "Verbale {{verbale}} - targa {{targa}}",
    },
    amountRule: { kind: "range", field: "importo", minCents: 100, maxCents: 1_000_000 },
  },
  {
    code: "TARI",
    name: "TARI - Tassa sui rifiuti",
    description: "Avvisi TARI dell'anno in corso, emessi dall'ente (importazione o sportello).",
    taxonomyCode: "9/0101101IM/",
  },
  {
    code: "COSAP",
    name: "Occupazione di suolo pubblico",
    taxonomyCode: "9/0101102TS/",
    formDefinition: {
      fields: [{ name: "luogo", label: "Via e numero civico", type: "text", required: true }, surface.field],
      subjectTemplate: "Occupazione suolo pubblico {{luogo}} ({{superficie}})",
    },
    amountRule: surface.amountRule,
  },
  {
    code: "LAMPADE_VOTIVE",
    name: "Lampade votive",
    taxonomyCode: "9/0114100TS/",
    formDefinition: {
      fields: [{ name: "defunto", label: "Nome e cognome del defunto", type: "text", required: true }],
      subjectTemplate: "Lampada votiva - {{defunto}}",
    },
    amountRule: { kind: "fixed", amountCents: 2_000 },
  },
];
