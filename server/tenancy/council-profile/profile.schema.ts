import { z } from "zod";
import { colourProblem } from "./colour.ts";

const blankToNull = (v: unknown) => (v === undefined || (typeof v === "string" && v.trim() === "") ? null : v);
const optional = (schema: z.ZodType) => z.preprocess(blankToNull, schema.nullable());

/** What a council's admin edits on its settings page (the logo is uploaded apart). */
export const councilProfileSchema = z.object({
  primaryColor: optional(
    z
      .string()
      .trim()
      .transform((s) => s.toUpperCase())
      .superRefine((hex, ctx) => {
        const problem = colourProblem(hex);
        if (problem) ctx.addIssue({ code: "custom", message: problem });
      }),
  ),
  privacyText: optional(z.string().trim().max(20_000, "al massimo 20.000 caratteri")),
  privacyUrl: optional(
    z
      .string()
      .trim()
      .max(500)
      .url("indirizzo non valido")
      .refine((u) => u.startsWith("https://"), "l'indirizzo deve iniziare con https://"),
  ),
  email: optional(z.string().trim().max(254).email("indirizzo e-mail non valido")),
  pec: optional(z.string().trim().max(254).email("indirizzo PEC non valido")),
  phone: optional(
    z
      .string()
      .trim()
      .regex(/^\+?[0-9 ./-]{6,20}$/, "numero di telefono non valido"),
  ),
  officeHours: optional(z.string().trim().max(300, "al massimo 300 caratteri")),
  address: optional(z.string().trim().max(200, "al massimo 200 caratteri")),
});
export type CouncilProfileInput = z.input<typeof councilProfileSchema>;

/** A council's profile as pages show it: never the logo's bytes, only whether there is one and its version. */
export interface CouncilProfileView {
  primaryColor: string | null;
  privacyText: string | null;
  privacyUrl: string | null;
  email: string | null;
  pec: string | null;
  phone: string | null;
  officeHours: string | null;
  address: string | null;
  logoSha256: string | null;
  logoContentType: string | null;
}
