-- AlterTable
ALTER TABLE "receipts" ADD COLUMN     "email_sent_at" TIMESTAMPTZ(3),
ADD COLUMN     "follow_ups_done_at" TIMESTAMPTZ(3);


-- Hand-written. Receipts stored before this release had their follow-ups queued already (and
-- their e-mail marker lives in Redis): mark them done so the sweep does not mail them again.
-- The platform scope lets the backfill through FORCE ROW LEVEL SECURITY when the owner runs it.
SELECT set_config('app.scope', 'platform', false);
UPDATE "receipts" SET "follow_ups_done_at" = "received_at" WHERE "follow_ups_done_at" IS NULL;
SELECT set_config('app.scope', '', false);

-- The sweep's lookup: only receipts whose follow-ups are pending, oldest first.
CREATE INDEX "receipts_follow_ups_pending_idx" ON "receipts"("received_at") WHERE "follow_ups_done_at" IS NULL;
