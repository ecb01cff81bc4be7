-- CreateTable
CREATE TABLE "print_runs" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "selection" JSONB NOT NULL,
    "status" "import_status" NOT NULL DEFAULT 'QUEUED',
    "total" INTEGER,
    "printed" INTEGER NOT NULL DEFAULT 0,
    "skipped" INTEGER NOT NULL DEFAULT 0,
    "page_count" INTEGER NOT NULL DEFAULT 0,
    "checkpoint_part" INTEGER NOT NULL DEFAULT 0,
    "last_position_id" UUID,
    "storage_dir" VARCHAR(500) NOT NULL,
    "failure" VARCHAR(1000),
    "created_by" VARCHAR(255) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "started_at" TIMESTAMPTZ(3),
    "finished_at" TIMESTAMPTZ(3),

    CONSTRAINT "print_runs_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "print_runs_tenant_id_created_at_idx" ON "print_runs"("tenant_id", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "print_runs_tenant_id_id_key" ON "print_runs"("tenant_id", "id");

