-- AlterTable: lines of an uploaded CSV, the import progress bar's total (null for zip and XLSX).
ALTER TABLE "import_files" ADD COLUMN     "line_count" INTEGER;
