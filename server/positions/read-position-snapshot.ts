import type { Database } from "../platform/db/database.ts";
import type { Statement } from "../platform/db/fast-sql.ts";
import type { PositionRecord } from "./find-position.ts";

type Option = PositionRecord["options"][number];
type TransferRow = Option["transfers"][number];

/**
 * What a council system is shown of a position (the API's position view): `findPosition`'s
 * record narrowed to the fields the view reads, so a record read on pg serves as well.
 */
export type PositionSnapshot = Pick<
  PositionRecord,
  | "id"
  | "iupd"
  | "externalId"
  | "data"
  | "status"
  | "origin"
  | "subject"
  | "debtorType"
  | "debtorFiscalCode"
  | "debtorName"
  | "debtorEmail"
  | "debtorAddress"
  | "debtorCity"
  | "debtorPostalCode"
  | "debtorProvince"
  | "validFrom"
  | "dueDate"
  | "publishedAt"
  | "paidAt"
  | "cancelledAt"
  | "createdAt"
  | "updatedAt"
> & {
  paymentType: { code: string } | null;
  options: Array<
    Pick<
      Option,
      | "nav"
      | "iuv"
      | "kind"
      | "installmentNumber"
      | "installmentCount"
      | "amountCents"
      | "description"
      | "dueDate"
      | "expiresAt"
      | "status"
      | "paidAt"
      | "lockedUntil"
    > & {
      transfers: Array<
        Pick<
          TransferRow,
          | "index"
          | "beneficiaryFiscalCode"
          | "iban"
          | "isPostalIban"
          | "stampType"
          | "stampDocumentHash"
          | "stampProvince"
          | "amountCents"
          | "paidCents"
          | "taxonomyCode"
          | "remittanceText"
          | "budgetChapter"
          | "assessment"
        >
      >;
      receipts: Option["receipts"];
    }
  >;
};

// Column names are Prisma's field names, so rows are the record `findPosition` gives (same order:
// options by kind then installment, transfers by index, receipts by arrival).
const POSITION: Statement = {
  name: "positions.snapshot_position",
  text: `SELECT p.id::text, p.iupd, p.external_id AS "externalId", p.data, p.status::text AS status,
           p.origin::text AS origin, p.subject, p.debtor_type::text AS "debtorType",
           p.debtor_fiscal_code AS "debtorFiscalCode", p.debtor_name AS "debtorName", p.debtor_email AS "debtorEmail",
           p.debtor_address AS "debtorAddress", p.debtor_city AS "debtorCity", p.debtor_postal_code AS "debtorPostalCode",
           p.debtor_province AS "debtorProvince", p.valid_from AS "validFrom", p.due_date AS "dueDate",
           p.published_at AS "publishedAt", p.paid_at AS "paidAt", p.cancelled_at AS "cancelledAt",
           p.created_at AS "createdAt", p.updated_at AS "updatedAt", t.code AS "paymentTypeCode"
         FROM debt_positions p
         LEFT JOIN payment_types t ON t.tenant_id = p.tenant_id AND t.id = p.payment_type_id
         WHERE p.tenant_id = $1::uuid AND p.id = $2::uuid`,
};
const OPTIONS: Statement = {
  name: "positions.snapshot_options",
  text: `SELECT id::text, nav, iuv, kind::text AS kind, installment_number AS "installmentNumber",
           installment_count AS "installmentCount", amount_cents AS "amountCents", description,
           due_date AS "dueDate", expires_at AS "expiresAt", status::text AS status, paid_at AS "paidAt",
           locked_until AS "lockedUntil"
         FROM payment_options WHERE tenant_id = $1::uuid AND position_id = $2::uuid
         ORDER BY payment_options.kind, installment_number`,
};
// The position's option ids and IUVs, computed once (an InitPlan) and then probed through the
// indexes on (tenant_id, option_id, index) and (tenant_id, iuv). A join here let a plan cached while
// the tables were small walk every transfer of the council per read (seen: 1.9 million option
// probes for 2,000 positions in bench/api, the single POST slowing as the table grew); receipts
// have no index on option_id, so they are found by IUV and then checked against the option.
const OPTION_IDS = "ARRAY(SELECT id FROM payment_options WHERE tenant_id = $1::uuid AND position_id = $2::uuid)";
const OPTION_IUVS = "ARRAY(SELECT iuv FROM payment_options WHERE tenant_id = $1::uuid AND position_id = $2::uuid)";
const TRANSFERS: Statement = {
  name: "positions.snapshot_transfers",
  text: `SELECT t.option_id::text AS "optionId", t.index, t.beneficiary_fiscal_code AS "beneficiaryFiscalCode", t.iban,
           t.is_postal_iban AS "isPostalIban", t.stamp_type AS "stampType", t.stamp_document_hash AS "stampDocumentHash",
           t.stamp_province AS "stampProvince", t.amount_cents AS "amountCents", t.paid_cents AS "paidCents",
           t.taxonomy_code AS "taxonomyCode", t.remittance_text AS "remittanceText",
           t.budget_chapter AS "budgetChapter", t.assessment
         FROM transfers t
         WHERE t.tenant_id = $1::uuid AND t.option_id = ANY (${OPTION_IDS})
         ORDER BY t.index`,
};
const RECEIPTS: Statement = {
  name: "positions.snapshot_receipts",
  text: `SELECT r.option_id::text AS "optionId", r.receipt_id AS "receiptId", r.nav, r.iuv, r.outcome,
           r.amount_cents AS "amountCents", r.fee_cents AS "feeCents", r.psp_id AS "pspId", r.psp_name AS "pspName",
           r.payment_date_time AS "paymentDateTime", r.received_at AS "receivedAt"
         FROM receipts r
         WHERE r.tenant_id = $1::uuid AND r.iuv = ANY (${OPTION_IUVS}) AND r.option_id = ANY (${OPTION_IDS})
         ORDER BY r.received_at`,
};

/**
 * One position as `findPosition` reads it, on pg in the council's RLS scope: four prepared
 * statements in one round trip, no Prisma engine (docs/decisions/0004). The API's create answer
 * reads the position it has just committed this way. Null when there is no such position.
 */
export async function readPositionSnapshot(
  db: Pick<Database, "sql">,
  tenantId: string,
  id: string,
): Promise<PositionSnapshot | null> {
  const values = [tenantId, id];
  const [positions, options, transfers, receipts] = await db.sql.readAsTenant(tenantId, [
    [POSITION, values],
    [OPTIONS, values],
    [TRANSFERS, values],
    [RECEIPTS, values],
  ]);
  const row = positions![0] as
    (Omit<PositionSnapshot, "paymentType" | "options"> & { paymentTypeCode: string | null }) | undefined;
  if (!row) return null;
  const byOption = <T extends { optionId: string }>(rows: T[], optionId: string) =>
    rows.filter((r) => r.optionId === optionId).map(({ optionId: _, ...rest }) => rest);
  const { paymentTypeCode, ...position } = row;
  type OptionRow = Omit<PositionSnapshot["options"][number], "transfers" | "receipts"> & { id: string };
  return {
    ...position,
    paymentType: paymentTypeCode === null ? null : { code: paymentTypeCode },
    options: (options as OptionRow[]).map(({ id: optionId, ...option }) => ({
      ...option,
      transfers: byOption(transfers as Array<TransferRow & { optionId: string }>, optionId),
      receipts: byOption(receipts as Array<Option["receipts"][number] & { optionId: string }>, optionId),
    })),
  };
}
