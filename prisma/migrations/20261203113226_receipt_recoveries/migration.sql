-- CreateTable
CREATE TABLE "receipt_recoveries" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "iuv" VARCHAR(35) NOT NULL,
    "iur" VARCHAR(35) NOT NULL,
    "nav" CHAR(18),
    "source" VARCHAR(20) NOT NULL,
    "status" VARCHAR(20) NOT NULL DEFAULT 'PENDING',
    "attempts" SMALLINT NOT NULL DEFAULT 0,
    "next_attempt_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_error" VARCHAR(500),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    "closed_at" TIMESTAMPTZ(3),

    CONSTRAINT "receipt_recoveries_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "receipt_recoveries_status_next_attempt_at_idx" ON "receipt_recoveries"("status", "next_attempt_at");

-- CreateIndex
CREATE UNIQUE INDEX "receipt_recoveries_tenant_id_iuv_iur_key" ON "receipt_recoveries"("tenant_id", "iuv", "iur");

