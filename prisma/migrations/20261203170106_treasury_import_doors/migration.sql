-- AlterTable
ALTER TABLE "treasury_imports" ADD COLUMN     "content_hash" CHAR(64),
ADD COLUMN     "created_by" VARCHAR(255),
ADD COLUMN     "duplicates" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "source" VARCHAR(16) NOT NULL DEFAULT 'DROP_FOLDER';

-- CreateIndex
CREATE UNIQUE INDEX "treasury_imports_tenant_id_content_hash_key" ON "treasury_imports"("tenant_id", "content_hash");

