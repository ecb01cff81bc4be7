-- AlterTable
ALTER TABLE "receipts" ADD COLUMN     "cart" JSONB;

