-- AlterTable
ALTER TABLE "adhesion_requests" ADD COLUMN     "council_link_hash" CHAR(64);

-- CreateIndex
CREATE UNIQUE INDEX "adhesion_requests_council_link_hash_key" ON "adhesion_requests"("council_link_hash");

