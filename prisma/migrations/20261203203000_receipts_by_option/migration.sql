-- Receipts of an option: read by every position page and API GET (Prisma loads an option's
-- receipts by (tenant_id, option_id)), and probed by the foreign key when an option is deleted.
-- Without it each read scanned the council's receipts.
CREATE INDEX "receipts_tenant_id_option_id_idx" ON "receipts"("tenant_id", "option_id");
