-- AlterTable
ALTER TABLE "payment_types" ADD COLUMN     "tariffs" JSONB NOT NULL DEFAULT '[]';

-- CreateTable
CREATE TABLE "council_profiles" (
    "tenant_id" UUID NOT NULL,
    "logo" BYTEA,
    "logo_content_type" VARCHAR(40),
    "logo_sha256" CHAR(64),
    "primary_color" CHAR(7),
    "privacy_text" TEXT,
    "privacy_url" VARCHAR(500),
    "email" VARCHAR(254),
    "pec" VARCHAR(254),
    "phone" VARCHAR(40),
    "office_hours" VARCHAR(300),
    "address" VARCHAR(200),
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "council_profiles_pkey" PRIMARY KEY ("tenant_id")
);

-- CreateTable
CREATE TABLE "service_templates" (
    "code" VARCHAR(35) NOT NULL,
    "name" VARCHAR(140) NOT NULL,
    "description" TEXT,
    "taxonomy_code" VARCHAR(20) NOT NULL,
    "form_definition" JSONB,
    "amount_rule" JSONB,
    "tariffs" JSONB NOT NULL DEFAULT '[]',
    "published" BOOLEAN NOT NULL DEFAULT true,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "service_templates_pkey" PRIMARY KEY ("code")
);

-- AddForeignKey
ALTER TABLE "council_profiles" ADD CONSTRAINT "council_profiles_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

