-- CreateTable
CREATE TABLE "position_import_keys" (
    "tenant_id" UUID NOT NULL,
    "key" VARCHAR(64) NOT NULL,
    "position_id" UUID NOT NULL,

    CONSTRAINT "position_import_keys_pkey" PRIMARY KEY ("tenant_id","key")
);

-- CreateIndex
CREATE INDEX "position_import_keys_tenant_id_position_id_idx" ON "position_import_keys"("tenant_id", "position_id");

-- AddForeignKey
ALTER TABLE "position_import_keys" ADD CONSTRAINT "position_import_keys_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "position_import_keys" ADD CONSTRAINT "position_import_keys_tenant_id_position_id_fkey" FOREIGN KEY ("tenant_id", "position_id") REFERENCES "debt_positions"("tenant_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;


-- Hand-written. Keys that an earlier import recorded in data.importKeys and that are not the
-- position's external id (GovPay documents grouped into one position) move to the side table.
-- The platform scope lets the backfill through FORCE ROW LEVEL SECURITY when the owner runs it.
SELECT set_config('app.scope', 'platform', false);
INSERT INTO "position_import_keys" ("tenant_id", "key", "position_id")
SELECT p."tenant_id", k.key, p."id"
  FROM "debt_positions" p CROSS JOIN LATERAL jsonb_array_elements_text(p."data" -> 'importKeys') AS k(key)
 WHERE p."data" ? 'importKeys' AND jsonb_typeof(p."data" -> 'importKeys') = 'array'
   AND k.key IS DISTINCT FROM p."external_id" AND length(k.key) <= 64
ON CONFLICT DO NOTHING;
SELECT set_config('app.scope', '', false);

-- The lookup no longer reads data.importKeys: its GIN index only cost every imported row an entry
-- (and the planner did not choose it for `?|`, scanning the council's positions instead).
DROP INDEX IF EXISTS "debt_positions_import_keys";
