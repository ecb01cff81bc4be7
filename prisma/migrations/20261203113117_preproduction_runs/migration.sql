-- CreateEnum
CREATE TYPE "PreproductionRunState" AS ENUM ('QUEUED', 'RUNNING', 'PASSED', 'FAILED');

-- CreateTable
CREATE TABLE "preproduction_runs" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "state" "PreproductionRunState" NOT NULL DEFAULT 'QUEUED',
    "station_code" VARCHAR(35),
    "steps" JSONB NOT NULL DEFAULT '[]',
    "requested_by" VARCHAR(200) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "started_at" TIMESTAMPTZ(3),
    "finished_at" TIMESTAMPTZ(3),
    "approved_by" VARCHAR(200),
    "approved_at" TIMESTAMPTZ(3),

    CONSTRAINT "preproduction_runs_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "preproduction_runs_tenant_id_created_at_idx" ON "preproduction_runs"("tenant_id", "created_at");

