-- CreateTable
CREATE TABLE "api_idempotency_keys" (
    "tenant_id" UUID NOT NULL,
    "client_id" VARCHAR(255) NOT NULL,
    "key" VARCHAR(255) NOT NULL,
    "request_hash" CHAR(64) NOT NULL,
    "response_status" SMALLINT,
    "response_body" JSONB,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "completed_at" TIMESTAMPTZ(3),

    CONSTRAINT "api_idempotency_keys_pkey" PRIMARY KEY ("tenant_id","client_id","key")
);

-- CreateIndex
CREATE INDEX "api_idempotency_keys_created_at_idx" ON "api_idempotency_keys"("created_at");
