-- CreateTable
CREATE TABLE "reporting_flows" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "flow_id" VARCHAR(35) NOT NULL,
    "psp_id" VARCHAR(35) NOT NULL,
    "revision" INTEGER NOT NULL DEFAULT 1,
    "flow_date" TIMESTAMPTZ(3) NOT NULL,
    "format" VARCHAR(40) NOT NULL,
    "settlement_id" VARCHAR(35) NOT NULL,
    "settlement_date" DATE NOT NULL,
    "declared_count" INTEGER NOT NULL,
    "declared_total_cents" INTEGER NOT NULL,
    "rows_count" INTEGER NOT NULL,
    "rows_total_cents" INTEGER NOT NULL,
    "superseded_at" TIMESTAMPTZ(3),
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "reporting_flows_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "reporting_rows" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "flow_record_id" UUID NOT NULL,
    "position" INTEGER NOT NULL,
    "iuv" VARCHAR(35) NOT NULL,
    "iur" VARCHAR(35) NOT NULL,
    "transfer_index" SMALLINT NOT NULL,
    "amount_cents" INTEGER NOT NULL,
    "outcome_code" SMALLINT NOT NULL,
    "outcome_date" DATE NOT NULL,
    "receipt_row_id" UUID,

    CONSTRAINT "reporting_rows_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "reconciliation_anomalies" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "kind" VARCHAR(40) NOT NULL,
    "subject" VARCHAR(120) NOT NULL,
    "flow_id" VARCHAR(35),
    "iuv" VARCHAR(35),
    "receipt_id" VARCHAR(35),
    "details" JSONB NOT NULL DEFAULT '{}',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "resolved_at" TIMESTAMPTZ(3),

    CONSTRAINT "reconciliation_anomalies_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "treasury_imports" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "file_name" VARCHAR(255) NOT NULL,
    "format" VARCHAR(40) NOT NULL,
    "credits_count" INTEGER NOT NULL,
    "row_errors" JSONB NOT NULL DEFAULT '[]',
    "imported_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "treasury_imports_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "treasury_credits" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "import_id" UUID NOT NULL,
    "dedup_key" VARCHAR(64) NOT NULL,
    "value_date" DATE NOT NULL,
    "amount_cents" INTEGER NOT NULL,
    "description" TEXT NOT NULL,
    "flow_id" VARCHAR(35),
    "status" VARCHAR(24) NOT NULL,

    CONSTRAINT "treasury_credits_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "reporting_flows_tenant_id_flow_id_idx" ON "reporting_flows"("tenant_id", "flow_id");

-- CreateIndex
CREATE UNIQUE INDEX "reporting_flows_tenant_id_psp_id_flow_id_revision_flow_date_key" ON "reporting_flows"("tenant_id", "psp_id", "flow_id", "revision", "flow_date");

-- CreateIndex
CREATE UNIQUE INDEX "reporting_flows_tenant_id_id_key" ON "reporting_flows"("tenant_id", "id");

-- CreateIndex
CREATE INDEX "reporting_rows_tenant_id_iuv_idx" ON "reporting_rows"("tenant_id", "iuv");

-- CreateIndex
CREATE INDEX "reporting_rows_tenant_id_receipt_row_id_idx" ON "reporting_rows"("tenant_id", "receipt_row_id");

-- CreateIndex
CREATE UNIQUE INDEX "reporting_rows_tenant_id_flow_record_id_position_key" ON "reporting_rows"("tenant_id", "flow_record_id", "position");

-- CreateIndex
CREATE INDEX "reconciliation_anomalies_tenant_id_created_at_idx" ON "reconciliation_anomalies"("tenant_id", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "reconciliation_anomalies_tenant_id_kind_subject_key" ON "reconciliation_anomalies"("tenant_id", "kind", "subject");

-- CreateIndex
CREATE UNIQUE INDEX "treasury_imports_tenant_id_id_key" ON "treasury_imports"("tenant_id", "id");

-- CreateIndex
CREATE INDEX "treasury_credits_tenant_id_flow_id_idx" ON "treasury_credits"("tenant_id", "flow_id");

-- CreateIndex
CREATE UNIQUE INDEX "treasury_credits_tenant_id_dedup_key_key" ON "treasury_credits"("tenant_id", "dedup_key");

-- AddForeignKey
ALTER TABLE "reporting_flows" ADD CONSTRAINT "reporting_flows_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "reporting_rows" ADD CONSTRAINT "reporting_rows_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "reporting_rows" ADD CONSTRAINT "reporting_rows_tenant_id_flow_record_id_fkey" FOREIGN KEY ("tenant_id", "flow_record_id") REFERENCES "reporting_flows"("tenant_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "reconciliation_anomalies" ADD CONSTRAINT "reconciliation_anomalies_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "treasury_imports" ADD CONSTRAINT "treasury_imports_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "treasury_credits" ADD CONSTRAINT "treasury_credits_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "treasury_credits" ADD CONSTRAINT "treasury_credits_tenant_id_import_id_fkey" FOREIGN KEY ("tenant_id", "import_id") REFERENCES "treasury_imports"("tenant_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;

