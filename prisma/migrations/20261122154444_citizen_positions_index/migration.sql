-- CreateIndex
CREATE INDEX "debt_positions_debtor_fiscal_code_idx" ON "debt_positions"("debtor_fiscal_code");

