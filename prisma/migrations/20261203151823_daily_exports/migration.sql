-- AlterTable
ALTER TABLE "tenants" ADD COLUMN     "daily_export_layouts" TEXT[] DEFAULT ARRAY[]::TEXT[];

