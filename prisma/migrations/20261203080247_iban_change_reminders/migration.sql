-- AlterTable
ALTER TABLE "creditor_accounts" ADD COLUMN     "change_reminder_sent_at" TIMESTAMPTZ(3);

