-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "StationEnvironment" AS ENUM ('TEST', 'PROD');

-- CreateEnum
CREATE TYPE "TenantStatus" AS ENUM ('ONBOARDING', 'TEST', 'LIVE', 'SUSPENDED');

-- CreateEnum
CREATE TYPE "PositionStatus" AS ENUM ('DRAFT', 'VALID', 'PARTIALLY_PAID', 'PAID', 'EXPIRED', 'CANCELLED', 'REPORTED');

-- CreateEnum
CREATE TYPE "OptionKind" AS ENUM ('SINGLE', 'INSTALLMENT');

-- CreateEnum
CREATE TYPE "OptionStatus" AS ENUM ('UNPAID', 'PAID', 'EXPIRED', 'CANCELLED', 'REPORTED');

-- CreateEnum
CREATE TYPE "PositionOrigin" AS ENUM ('PORTAL', 'COUNTER', 'API', 'FILE', 'PSP', 'SEED');

-- CreateEnum
CREATE TYPE "DebtorType" AS ENUM ('F', 'G');

-- CreateEnum
CREATE TYPE "PlatformRole" AS ENUM ('PLATFORM_ADMIN', 'HELPDESK');

-- CreateEnum
CREATE TYPE "TenantRole" AS ENUM ('TENANT_ADMIN', 'OPERATOR', 'VIEWER');

-- CreateEnum
CREATE TYPE "MessageDirection" AS ENUM ('IN', 'OUT');

-- CreateTable
CREATE TABLE "intermediaries" (
    "id" UUID NOT NULL,
    "fiscal_code" VARCHAR(11) NOT NULL,
    "name" VARCHAR(140) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "intermediaries_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "stations" (
    "id" UUID NOT NULL,
    "intermediary_id" UUID NOT NULL,
    "code" VARCHAR(35) NOT NULL,
    "environment" "StationEnvironment" NOT NULL DEFAULT 'PROD',
    "description" VARCHAR(140),
    "client_cert_fingerprint" VARCHAR(95),
    "subscription_key_hash" VARCHAR(128),
    "allowed_sources" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "stations_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "tenants" (
    "id" UUID NOT NULL,
    "intermediary_id" UUID NOT NULL,
    "station_id" UUID NOT NULL,
    "fiscal_code" VARCHAR(11) NOT NULL,
    "ipa_code" VARCHAR(35) NOT NULL,
    "name" VARCHAR(100) NOT NULL,
    "sector" VARCHAR(100),
    "info" VARCHAR(200),
    "segregation_code" CHAR(2) NOT NULL,
    "aux_digit" SMALLINT NOT NULL DEFAULT 3,
    "cbill" VARCHAR(5),
    "postal_account" VARCHAR(12),
    "status" "TenantStatus" NOT NULL DEFAULT 'ONBOARDING',
    "branding" JSONB NOT NULL DEFAULT '{}',
    "contact_email" VARCHAR(254),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "tenants_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "iuv_sequences" (
    "tenant_id" UUID NOT NULL,
    "next_value" BIGINT NOT NULL DEFAULT 1,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "iuv_sequences_pkey" PRIMARY KEY ("tenant_id")
);

-- CreateTable
CREATE TABLE "creditor_accounts" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "iban" VARCHAR(34) NOT NULL,
    "is_postal" BOOLEAN NOT NULL DEFAULT false,
    "holder" VARCHAR(140) NOT NULL,
    "description" VARCHAR(140),
    "effective_from" DATE NOT NULL,
    "effective_to" DATE,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "creditor_accounts_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "payment_types" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "code" VARCHAR(35) NOT NULL,
    "name" VARCHAR(140) NOT NULL,
    "description" TEXT,
    "taxonomy_code" VARCHAR(20) NOT NULL,
    "accounting_chapter" VARCHAR(64),
    "default_transfers" JSONB NOT NULL DEFAULT '[]',
    "available_on_portal" BOOLEAN NOT NULL DEFAULT false,
    "available_at_counter" BOOLEAN NOT NULL DEFAULT true,
    "available_at_psp" BOOLEAN NOT NULL DEFAULT false,
    "form_definition" JSONB,
    "amount_rule" JSONB,
    "valid_from" TIMESTAMPTZ(3),
    "valid_to" TIMESTAMPTZ(3),
    "active" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "payment_types_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "debt_positions" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "iupd" VARCHAR(35) NOT NULL,
    "external_id" VARCHAR(64),
    "payment_type_id" UUID,
    "origin" "PositionOrigin" NOT NULL DEFAULT 'API',
    "debtor_type" "DebtorType" NOT NULL DEFAULT 'F',
    "debtor_fiscal_code" VARCHAR(16) NOT NULL,
    "debtor_name" VARCHAR(140) NOT NULL,
    "debtor_email" VARCHAR(254),
    "debtor_address" VARCHAR(140),
    "debtor_city" VARCHAR(35),
    "debtor_postal_code" VARCHAR(16),
    "debtor_province" VARCHAR(2),
    "subject" VARCHAR(140) NOT NULL,
    "status" "PositionStatus" NOT NULL DEFAULT 'DRAFT',
    "valid_from" TIMESTAMPTZ(3),
    "due_date" TIMESTAMPTZ(3),
    "data" JSONB NOT NULL DEFAULT '{}',
    "published_at" TIMESTAMPTZ(3),
    "paid_at" TIMESTAMPTZ(3),
    "cancelled_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "debt_positions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "payment_options" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "position_id" UUID NOT NULL,
    "kind" "OptionKind" NOT NULL DEFAULT 'SINGLE',
    "installment_number" SMALLINT,
    "installment_count" SMALLINT,
    "nav" CHAR(18) NOT NULL,
    "iuv" VARCHAR(35) NOT NULL,
    "amount_cents" INTEGER NOT NULL,
    "description" VARCHAR(140),
    "due_date" TIMESTAMPTZ(3) NOT NULL,
    "expires_at" TIMESTAMPTZ(3),
    "status" "OptionStatus" NOT NULL DEFAULT 'UNPAID',
    "payment_token" VARCHAR(35),
    "locked_until" TIMESTAMPTZ(3),
    "paid_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "payment_options_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "transfers" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "option_id" UUID NOT NULL,
    "index" SMALLINT NOT NULL,
    "beneficiary_fiscal_code" VARCHAR(11) NOT NULL,
    "iban" VARCHAR(34),
    "is_postal_iban" BOOLEAN NOT NULL DEFAULT false,
    "stamp_type" VARCHAR(2),
    "stamp_document_hash" VARCHAR(72),
    "stamp_province" VARCHAR(2),
    "amount_cents" INTEGER NOT NULL,
    "taxonomy_code" VARCHAR(20) NOT NULL,
    "remittance_text" VARCHAR(140) NOT NULL,
    "metadata" JSONB NOT NULL DEFAULT '[]',
    "paid_cents" INTEGER,

    CONSTRAINT "transfers_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "receipts" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "option_id" UUID,
    "receipt_id" VARCHAR(35) NOT NULL,
    "nav" CHAR(18) NOT NULL,
    "iuv" VARCHAR(35) NOT NULL,
    "outcome" VARCHAR(2) NOT NULL,
    "amount_cents" INTEGER NOT NULL,
    "fee_cents" INTEGER,
    "psp_id" VARCHAR(35) NOT NULL,
    "psp_name" VARCHAR(140),
    "psp_fiscal_code" VARCHAR(16),
    "channel_id" VARCHAR(35),
    "payment_method" VARCHAR(35),
    "payment_date_time" TIMESTAMPTZ(3),
    "application_date" DATE,
    "transfer_date" DATE,
    "stand_in" BOOLEAN NOT NULL DEFAULT false,
    "payer" JSONB,
    "debtor" JSONB,
    "transfers" JSONB NOT NULL DEFAULT '[]',
    "access_token" VARCHAR(64) NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "receipts_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "nodo_messages" (
    "id" UUID NOT NULL,
    "tenant_id" UUID,
    "direction" "MessageDirection" NOT NULL,
    "operation" VARCHAR(64) NOT NULL,
    "station_code" VARCHAR(35),
    "nav" VARCHAR(18),
    "iuv" VARCHAR(35),
    "receipt_id" VARCHAR(35),
    "outcome" VARCHAR(8),
    "fault_code" VARCHAR(64),
    "duration_ms" INTEGER,
    "request_id" VARCHAR(64),
    "request_xml" TEXT,
    "response_xml" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "nodo_messages_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "staff_users" (
    "id" UUID NOT NULL,
    "subject" VARCHAR(255) NOT NULL,
    "email" VARCHAR(254),
    "display_name" VARCHAR(140),
    "platform_roles" "PlatformRole"[] DEFAULT ARRAY[]::"PlatformRole"[],
    "last_login_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "staff_users_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "memberships" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "role" "TenantRole" NOT NULL,
    "payment_type_codes" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "memberships_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "audit_log" (
    "id" UUID NOT NULL,
    "tenant_id" UUID,
    "actor_type" VARCHAR(16) NOT NULL,
    "actor_id" VARCHAR(255) NOT NULL,
    "action" VARCHAR(64) NOT NULL,
    "entity_type" VARCHAR(64) NOT NULL,
    "entity_id" VARCHAR(64),
    "before" JSONB,
    "after" JSONB,
    "request_id" VARCHAR(64),
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "audit_log_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "intermediaries_fiscal_code_key" ON "intermediaries"("fiscal_code");

-- CreateIndex
CREATE UNIQUE INDEX "stations_code_key" ON "stations"("code");

-- CreateIndex
CREATE UNIQUE INDEX "tenants_fiscal_code_key" ON "tenants"("fiscal_code");

-- CreateIndex
CREATE UNIQUE INDEX "tenants_ipa_code_key" ON "tenants"("ipa_code");

-- CreateIndex
CREATE UNIQUE INDEX "tenants_intermediary_id_segregation_code_key" ON "tenants"("intermediary_id", "segregation_code");

-- CreateIndex
CREATE INDEX "creditor_accounts_tenant_id_iban_idx" ON "creditor_accounts"("tenant_id", "iban");

-- CreateIndex
CREATE UNIQUE INDEX "payment_types_tenant_id_code_key" ON "payment_types"("tenant_id", "code");

-- CreateIndex
CREATE UNIQUE INDEX "payment_types_tenant_id_id_key" ON "payment_types"("tenant_id", "id");

-- CreateIndex
CREATE INDEX "debt_positions_tenant_id_debtor_fiscal_code_idx" ON "debt_positions"("tenant_id", "debtor_fiscal_code");

-- CreateIndex
CREATE INDEX "debt_positions_tenant_id_status_idx" ON "debt_positions"("tenant_id", "status");

-- CreateIndex
CREATE UNIQUE INDEX "debt_positions_tenant_id_iupd_key" ON "debt_positions"("tenant_id", "iupd");

-- CreateIndex
CREATE UNIQUE INDEX "debt_positions_tenant_id_external_id_key" ON "debt_positions"("tenant_id", "external_id");

-- CreateIndex
CREATE UNIQUE INDEX "debt_positions_tenant_id_id_key" ON "debt_positions"("tenant_id", "id");

-- CreateIndex
CREATE INDEX "payment_options_tenant_id_position_id_idx" ON "payment_options"("tenant_id", "position_id");

-- CreateIndex
CREATE UNIQUE INDEX "payment_options_tenant_id_nav_key" ON "payment_options"("tenant_id", "nav");

-- CreateIndex
CREATE UNIQUE INDEX "payment_options_tenant_id_iuv_key" ON "payment_options"("tenant_id", "iuv");

-- CreateIndex
CREATE UNIQUE INDEX "payment_options_tenant_id_id_key" ON "payment_options"("tenant_id", "id");

-- CreateIndex
CREATE UNIQUE INDEX "transfers_tenant_id_option_id_index_key" ON "transfers"("tenant_id", "option_id", "index");

-- CreateIndex
CREATE UNIQUE INDEX "receipts_access_token_key" ON "receipts"("access_token");

-- CreateIndex
CREATE INDEX "receipts_tenant_id_nav_idx" ON "receipts"("tenant_id", "nav");

-- CreateIndex
CREATE INDEX "receipts_tenant_id_iuv_idx" ON "receipts"("tenant_id", "iuv");

-- CreateIndex
CREATE UNIQUE INDEX "receipts_tenant_id_receipt_id_key" ON "receipts"("tenant_id", "receipt_id");

-- CreateIndex
CREATE INDEX "nodo_messages_nav_idx" ON "nodo_messages"("nav");

-- CreateIndex
CREATE INDEX "nodo_messages_iuv_idx" ON "nodo_messages"("iuv");

-- CreateIndex
CREATE INDEX "nodo_messages_receipt_id_idx" ON "nodo_messages"("receipt_id");

-- CreateIndex
CREATE INDEX "nodo_messages_tenant_id_created_at_idx" ON "nodo_messages"("tenant_id", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "staff_users_subject_key" ON "staff_users"("subject");

-- CreateIndex
CREATE UNIQUE INDEX "memberships_tenant_id_user_id_role_key" ON "memberships"("tenant_id", "user_id", "role");

-- CreateIndex
CREATE INDEX "audit_log_tenant_id_at_idx" ON "audit_log"("tenant_id", "at");

-- AddForeignKey
ALTER TABLE "stations" ADD CONSTRAINT "stations_intermediary_id_fkey" FOREIGN KEY ("intermediary_id") REFERENCES "intermediaries"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "tenants" ADD CONSTRAINT "tenants_intermediary_id_fkey" FOREIGN KEY ("intermediary_id") REFERENCES "intermediaries"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "tenants" ADD CONSTRAINT "tenants_station_id_fkey" FOREIGN KEY ("station_id") REFERENCES "stations"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "iuv_sequences" ADD CONSTRAINT "iuv_sequences_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "creditor_accounts" ADD CONSTRAINT "creditor_accounts_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "payment_types" ADD CONSTRAINT "payment_types_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "debt_positions" ADD CONSTRAINT "debt_positions_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "debt_positions" ADD CONSTRAINT "debt_positions_tenant_id_payment_type_id_fkey" FOREIGN KEY ("tenant_id", "payment_type_id") REFERENCES "payment_types"("tenant_id", "id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "payment_options" ADD CONSTRAINT "payment_options_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "payment_options" ADD CONSTRAINT "payment_options_tenant_id_position_id_fkey" FOREIGN KEY ("tenant_id", "position_id") REFERENCES "debt_positions"("tenant_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "transfers" ADD CONSTRAINT "transfers_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "transfers" ADD CONSTRAINT "transfers_tenant_id_option_id_fkey" FOREIGN KEY ("tenant_id", "option_id") REFERENCES "payment_options"("tenant_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "receipts" ADD CONSTRAINT "receipts_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "receipts" ADD CONSTRAINT "receipts_tenant_id_option_id_fkey" FOREIGN KEY ("tenant_id", "option_id") REFERENCES "payment_options"("tenant_id", "id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "nodo_messages" ADD CONSTRAINT "nodo_messages_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "memberships" ADD CONSTRAINT "memberships_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "memberships" ADD CONSTRAINT "memberships_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "staff_users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "audit_log" ADD CONSTRAINT "audit_log_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE SET NULL ON UPDATE CASCADE;

