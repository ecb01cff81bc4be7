-- CreateEnum
CREATE TYPE "import_format" AS ENUM ('NATIVE_CSV', 'NATIVE_XLSX', 'MYPAY', 'GOVPAY');

-- CreateEnum
CREATE TYPE "import_status" AS ENUM ('QUEUED', 'RUNNING', 'DONE', 'FAILED');

-- CreateEnum
CREATE TYPE "import_row_outcome" AS ENUM ('ACCEPTED', 'REJECTED');

-- CreateTable
CREATE TABLE "import_files" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "format" "import_format" NOT NULL,
    "source" VARCHAR(16) NOT NULL,
    "file_name" VARCHAR(255) NOT NULL,
    "content_hash" CHAR(64) NOT NULL,
    "size_bytes" INTEGER NOT NULL,
    "storage_path" VARCHAR(500) NOT NULL,
    "status" "import_status" NOT NULL DEFAULT 'QUEUED',
    "checkpoint_row" INTEGER NOT NULL DEFAULT 0,
    "accepted" INTEGER NOT NULL DEFAULT 0,
    "rejected" INTEGER NOT NULL DEFAULT 0,
    "failure" VARCHAR(1000),
    "created_by" VARCHAR(255) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "started_at" TIMESTAMPTZ(3),
    "finished_at" TIMESTAMPTZ(3),

    CONSTRAINT "import_files_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "import_rows" (
    "tenant_id" UUID NOT NULL,
    "import_id" UUID NOT NULL,
    "row_number" INTEGER NOT NULL,
    "outcome" "import_row_outcome" NOT NULL,
    "action" VARCHAR(8) NOT NULL,
    "key" VARCHAR(64),
    "position_id" UUID,
    "nav" CHAR(18),
    "iuv" VARCHAR(35),
    "error_code" VARCHAR(32),
    "column" VARCHAR(64),
    "message" VARCHAR(1000),
    "echo" JSONB,

    CONSTRAINT "import_rows_pkey" PRIMARY KEY ("import_id","row_number")
);

-- CreateIndex
CREATE INDEX "import_files_tenant_id_created_at_idx" ON "import_files"("tenant_id", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "import_files_tenant_id_content_hash_key" ON "import_files"("tenant_id", "content_hash");

-- CreateIndex
CREATE UNIQUE INDEX "import_files_tenant_id_id_key" ON "import_files"("tenant_id", "id");

-- AddForeignKey
ALTER TABLE "import_files" ADD CONSTRAINT "import_files_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "import_rows" ADD CONSTRAINT "import_rows_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "import_rows" ADD CONSTRAINT "import_rows_tenant_id_import_id_fkey" FOREIGN KEY ("tenant_id", "import_id") REFERENCES "import_files"("tenant_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;


-- Hand-written: row-level security like every tenant-owned table (see the rls migration).
DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['import_files', 'import_rows'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format(
      'CREATE POLICY tenant_isolation ON %I
         USING (tenant_id = app_current_tenant() OR app_platform_scope())
         WITH CHECK (tenant_id = app_current_tenant() OR app_platform_scope())', t);
  END LOOP;
END
$$;

-- Cancelling a GovPay pendenza that was grouped into a document's position finds it by idPendenza.
CREATE INDEX debt_positions_import_keys ON debt_positions USING gin ((data -> 'importKeys'))
  WHERE data ? 'importKeys';
