import type { AdhesionStep } from "../../generated/prisma/client.ts";

export type StepOwner = "council" | "region" | "none";

export interface StepInfo {
  step: AdhesionStep;
  /** Italian label, as the board and the request page show it. */
  label: string;
  /** Who must act for the request to move on. */
  owner: StepOwner;
  /** What the request waits for, in Italian. */
  waitingFor: string;
}

/**
 * The adhesion procedure of the regional playbooks (domain.md, "Joining the platform"), in
 * order. Each step is done by one side; the board shows who the request waits for.
 */
export const ADHESION_STEPS: readonly StepInfo[] = [
  { step: "CONTACT", label: "Referente", owner: "council", waitingFor: "l'ente indichi il referente" },
  {
    step: "LETTER",
    label: "Lettera di adesione",
    owner: "council",
    waitingFor: "l'ente carichi la lettera di adesione firmata",
  },
  {
    step: "INFORMATION",
    label: "Scheda informativa",
    owner: "council",
    waitingFor: "l'ente compili la scheda informativa (servizi e modelli di pagamento)",
  },
  {
    step: "TENANT",
    label: "Creazione dell'ente in collaudo",
    owner: "region",
    waitingFor: "la Regione crei l'ente sulla stazione di test e inviti il referente",
  },
  { step: "ACCOUNTS", label: "Conti di accredito", owner: "council", waitingFor: "l'ente indichi almeno un conto" },
  {
    step: "PLAN",
    label: "Piano di attivazione",
    owner: "region",
    waitingFor: "la Regione invii il piano di attivazione a pagoPA",
  },
  { step: "DONE", label: "Completata: ente in collaudo", owner: "none", waitingFor: "nulla" },
];

export const OWNER_LABELS: Record<StepOwner, string> = { council: "Ente", region: "Regione", none: "—" };

export function stepInfo(step: AdhesionStep): StepInfo {
  return ADHESION_STEPS.find((s) => s.step === step)!;
}

export function nextStep(step: AdhesionStep): AdhesionStep {
  const i = ADHESION_STEPS.findIndex((s) => s.step === step);
  return ADHESION_STEPS[Math.min(i + 1, ADHESION_STEPS.length - 1)]!.step;
}

/** The payment models a council declares in its information form. */
export const PAYMENT_MODELS = {
  base: "Base (solo pagamenti spontanei, l'ente scarica le ricevute)",
  flows: "Flussi (l'ente carica le posizioni da file)",
  gateway: "Gateway (gli applicativi dell'ente usano le API della piattaforma)",
} as const;
export type PaymentModel = keyof typeof PAYMENT_MODELS;
