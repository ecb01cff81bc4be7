-- AlterTable
ALTER TABLE "tenants" ADD COLUMN     "aca_enabled" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "outbox_events" ADD COLUMN     "aca_seen_at" TIMESTAMPTZ(3);

-- CreateTable
CREATE TABLE "aca_syncs" (
    "tenant_id" UUID NOT NULL,
    "position_id" UUID NOT NULL,
    "iupd" VARCHAR(35) NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,
    "pending" BOOLEAN NOT NULL DEFAULT true,
    "remote_state" VARCHAR(8) NOT NULL DEFAULT 'NONE',
    "sent_hash" CHAR(64),
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "next_attempt_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_error" VARCHAR(500),
    "synced_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "aca_syncs_pkey" PRIMARY KEY ("tenant_id","position_id")
);

-- AddForeignKey
ALTER TABLE "aca_syncs" ADD CONSTRAINT "aca_syncs_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

