-- CreateEnum
CREATE TYPE "AdhesionStep" AS ENUM ('CONTACT', 'LETTER', 'INFORMATION', 'TENANT', 'ACCOUNTS', 'PLAN', 'DONE');

-- CreateEnum
CREATE TYPE "AdhesionOrigin" AS ENUM ('COUNCIL', 'REGION', 'BULK');

-- CreateTable
CREATE TABLE "public_bodies" (
    "ipa_code" VARCHAR(35) NOT NULL,
    "name" VARCHAR(300) NOT NULL,
    "fiscal_code" VARCHAR(16) NOT NULL,
    "pec_email" VARCHAR(254),
    "imported_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "public_bodies_pkey" PRIMARY KEY ("ipa_code")
);

-- CreateTable
CREATE TABLE "adhesion_requests" (
    "id" UUID NOT NULL,
    "ipa_code" VARCHAR(35) NOT NULL,
    "name" VARCHAR(300) NOT NULL,
    "fiscal_code" VARCHAR(16) NOT NULL,
    "pec_email" VARCHAR(254),
    "origin" "AdhesionOrigin" NOT NULL,
    "step" "AdhesionStep" NOT NULL DEFAULT 'CONTACT',
    "contact_name" VARCHAR(160),
    "contact_fiscal_code" VARCHAR(16),
    "contact_email" VARCHAR(254),
    "segregation_code" CHAR(2),
    "iban" VARCHAR(34),
    "letter_file_name" VARCHAR(200),
    "letter_file" BYTEA,
    "letter_signer" VARCHAR(300),
    "letter_uploaded_at" TIMESTAMPTZ(3),
    "information" JSONB,
    "tenant_id" UUID,
    "invited_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "adhesion_requests_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "public_bodies_fiscal_code_idx" ON "public_bodies"("fiscal_code");

-- CreateIndex
CREATE UNIQUE INDEX "adhesion_requests_ipa_code_key" ON "adhesion_requests"("ipa_code");

-- CreateIndex
CREATE UNIQUE INDEX "adhesion_requests_tenant_id_key" ON "adhesion_requests"("tenant_id");

-- CreateIndex
CREATE INDEX "adhesion_requests_step_updated_at_idx" ON "adhesion_requests"("step", "updated_at");

