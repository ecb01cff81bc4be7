-- AlterTable
ALTER TABLE "transfers" ADD COLUMN     "accounting_lines" JSONB NOT NULL DEFAULT '[]';

