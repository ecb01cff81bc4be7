-- AlterTable
ALTER TABLE "debt_positions" ADD COLUMN     "portal_citizen_fiscal_code" VARCHAR(16);

