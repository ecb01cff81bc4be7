import { z } from "zod";

/**
 * The part of a tenant's `branding` JSON that notices use. Parsed leniently: a bad logo or an
 * unknown language must not stop a mass mailing, so invalid values fall back to the defaults
 * (initials badge, Italian only).
 */
export const noticeBrandingSchema = z.object({
  /** Only data: URLs are printed: the renderer never fetches anything. */
  logoUrl: z
    .string()
    .regex(/^data:image\/(png|jpeg|svg\+xml);base64,[A-Za-z0-9+/=]+$/)
    .max(2_000_000)
    .optional()
    .catch(undefined),
  /** The council's colour (settings page): the initials badge printed when there is no logo. */
  primaryColor: z
    .string()
    .regex(/^#[0-9A-Fa-f]{6}$/)
    .optional()
    .catch(undefined),
  /** Bilingual notices (e.g. Italian and German in South Tyrol). */
  secondLanguage: z.enum(["de"]).optional().catch(undefined),
  /** Poste Italiane's authorisation to print bulletins in-house ("AUT. DB/..."), if any. */
  postalAuthorization: z.string().max(80).optional().catch(undefined),
});

export type NoticeBranding = z.infer<typeof noticeBrandingSchema>;

/** The creditor as printed on a notice. */
export interface PrintableNoticeTenant {
  id: string;
  fiscalCode: string;
  ipaCode: string;
  name: string;
  sector: string | null;
  info: string | null;
  cbill: string | null;
  postalAccount: string | null;
  /** Holder of the postal account (intestatario), when the tenant has one. */
  postalHolder: string | null;
  branding: unknown;
}

export interface NoticeOption {
  kind: "SINGLE" | "INSTALLMENT";
  nav: string;
  iuv: string;
  amountCents: number;
  dueDate: Date;
  installmentNumber: number | null;
  installmentCount: number | null;
}

/** A debt position with the options that are still to be paid, as a notice needs it. */
export interface NoticePosition {
  id: string;
  iupd: string;
  subject: string;
  debtorFiscalCode: string;
  debtorName: string;
  debtorAddress: string | null;
  debtorCity: string | null;
  debtorPostalCode: string | null;
  debtorProvince: string | null;
  options: NoticeOption[];
}
