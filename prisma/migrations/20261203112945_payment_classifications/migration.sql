-- AlterTable
ALTER TABLE "payment_types" ADD COLUMN     "default_assessment" VARCHAR(64);

-- AlterTable
ALTER TABLE "transfers" ADD COLUMN     "assessment" VARCHAR(64),
ADD COLUMN     "budget_chapter" VARCHAR(64);

-- AlterTable
ALTER TABLE "treasury_credits" ADD COLUMN     "manual_match" JSONB;

-- CreateTable
CREATE TABLE "payment_classifications" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "subject_kind" VARCHAR(8) NOT NULL,
    "subject" VARCHAR(64) NOT NULL,
    "code" VARCHAR(24) NOT NULL,
    "iuv" VARCHAR(35),
    "option_id" UUID,
    "receipt_row_id" UUID,
    "flow_record_id" UUID,
    "flow_id" VARCHAR(35),
    "credit_id" UUID,
    "psp_id" VARCHAR(35),
    "payment_type_id" UUID,
    "amount_cents" INTEGER NOT NULL,
    "day" DATE NOT NULL,
    "classified_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "payment_classifications_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "payment_classifications_tenant_id_code_idx" ON "payment_classifications"("tenant_id", "code");

-- CreateIndex
CREATE INDEX "payment_classifications_tenant_id_day_idx" ON "payment_classifications"("tenant_id", "day");

-- CreateIndex
CREATE UNIQUE INDEX "payment_classifications_tenant_id_subject_kind_subject_key" ON "payment_classifications"("tenant_id", "subject_kind", "subject");

-- AddForeignKey
ALTER TABLE "payment_classifications" ADD CONSTRAINT "payment_classifications_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

