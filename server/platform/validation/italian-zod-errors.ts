import { z } from "zod";

type Issue = Parameters<z.core.$ZodErrorMap>[0];

const SIZES: Record<string, [string, string]> = {
  string: ["caratteri", "carattere"],
  array: ["elementi", "elemento"],
  set: ["elementi", "elemento"],
  file: ["byte", "byte"],
};

const count = (origin: string, n: number | bigint) => {
  const unit = SIZES[origin];
  return unit ? `${n} ${Number(n) === 1 ? unit[1] : unit[0]}` : String(n);
};

const isBlank = (v: unknown) => v === undefined || v === null || (typeof v === "string" && v.trim() === "");

/**
 * zod's default messages in the Italian a clerk or citizen reads, short enough to follow a
 * field's label ("Causale: al massimo 140 caratteri"). Messages a schema sets itself win over
 * these; only the defaults ("Too big: expected string to have <=140 characters") come here.
 */
export function italianZodMessage(issue: Issue): string {
  switch (issue.code) {
    case "invalid_type":
      if (isBlank(issue.input)) return "campo obbligatorio";
      if (issue.expected === "number" || issue.expected === "int" || issue.expected === "bigint")
        return "indica un numero valido";
      if (issue.expected === "date") return "indica una data valida";
      return "valore non valido";
    case "too_small":
      if (issue.origin === "string" && Number(issue.minimum) <= 1) return "campo obbligatorio";
      if (issue.origin === "string" || issue.origin === "array" || issue.origin === "set")
        return `almeno ${count(issue.origin, issue.minimum)}`;
      if (issue.origin === "date") return "data troppo lontana nel passato";
      return issue.inclusive ? `almeno ${issue.minimum}` : `maggiore di ${issue.minimum}`;
    case "too_big":
      if (issue.origin === "string" || issue.origin === "array" || issue.origin === "set")
        return `al massimo ${count(issue.origin, issue.maximum)}`;
      if (issue.origin === "date") return "data troppo lontana nel futuro";
      return issue.inclusive ? `al massimo ${issue.maximum}` : `minore di ${issue.maximum}`;
    case "invalid_format":
      if (isBlank(issue.input)) return "campo obbligatorio";
      if (issue.format === "email") return "indirizzo e-mail non valido";
      if (issue.format === "url") return "indirizzo web non valido";
      if (issue.format === "date" || issue.format === "datetime") return "data non valida";
      return "formato non valido";
    case "invalid_value":
      return isBlank(issue.input) ? "scegli un valore" : "scegli uno dei valori proposti";
    case "not_multiple_of":
      return `deve essere un multiplo di ${issue.divisor}`;
    case "unrecognized_keys":
      return "il modulo contiene dati non previsti";
    default:
      return "valore non valido";
  }
}

let installed = false;

/**
 * Makes the Italian messages zod's locale for the whole process. Called once at start-up by
 * `createApp` (idempotent), before any request is parsed; schemas' own messages still win.
 */
export function useItalianZodMessages(): void {
  if (installed) return;
  z.config({ localeError: italianZodMessage });
  installed = true;
}
