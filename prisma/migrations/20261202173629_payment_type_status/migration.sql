-- CreateEnum
CREATE TYPE "payment_type_status" AS ENUM ('DRAFT', 'PUBLISHED');

-- AlterTable
ALTER TABLE "payment_types" ADD COLUMN     "status" "payment_type_status" NOT NULL DEFAULT 'PUBLISHED';

