-- AlterTable
ALTER TABLE "webhook_endpoints" ADD COLUMN     "api_client_id" VARCHAR(255);

