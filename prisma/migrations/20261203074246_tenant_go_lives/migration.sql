-- CreateEnum
CREATE TYPE "go_live_state" AS ENUM ('SCHEDULED', 'DONE', 'CANCELLED', 'REVERTED');

-- CreateTable
CREATE TABLE "tenant_go_lives" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "test_station_id" UUID NOT NULL,
    "live_station_id" UUID NOT NULL,
    "effective_on" DATE NOT NULL,
    "state" "go_live_state" NOT NULL DEFAULT 'SCHEDULED',
    "requested_by" VARCHAR(200) NOT NULL,
    "switched_at" TIMESTAMPTZ(3),
    "closed_at" TIMESTAMPTZ(3),
    "closed_by" VARCHAR(200),
    "close_reason" VARCHAR(500),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "tenant_go_lives_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "tenant_go_lives_tenant_id_created_at_idx" ON "tenant_go_lives"("tenant_id", "created_at");

-- CreateIndex
CREATE INDEX "tenant_go_lives_state_effective_on_idx" ON "tenant_go_lives"("state", "effective_on");

-- AddForeignKey
ALTER TABLE "tenant_go_lives" ADD CONSTRAINT "tenant_go_lives_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "tenant_go_lives" ADD CONSTRAINT "tenant_go_lives_test_station_id_fkey" FOREIGN KEY ("test_station_id") REFERENCES "stations"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "tenant_go_lives" ADD CONSTRAINT "tenant_go_lives_live_station_id_fkey" FOREIGN KEY ("live_station_id") REFERENCES "stations"("id") ON DELETE RESTRICT ON UPDATE CASCADE;


-- Hand-written: at most one go-live waiting per council, and tenant isolation as for every
-- tenant-owned table (see 20261122000100_rls).
CREATE UNIQUE INDEX "tenant_go_lives_one_scheduled" ON "tenant_go_lives"("tenant_id") WHERE "state" = 'SCHEDULED';
ALTER TABLE "tenant_go_lives" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "tenant_go_lives" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "tenant_go_lives"
  USING (tenant_id = app_current_tenant() OR app_platform_scope())
  WITH CHECK (tenant_id = app_current_tenant() OR app_platform_scope());
