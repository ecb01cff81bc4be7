// Kept apart from support.ts (which needs vitest's inject) so unit tests can use it too.

/** What production requires beyond NODE_ENV (the env checks refuse development defaults there). */
export const PRODUCTION_TEST_ENV: Record<string, string> = {
  NODE_ENV: "production",
  STAFF_SESSION_SECRET: "test-production-staff-session-secret",
  OIDC_BACKOFFICE_CLIENT_SECRET: "test-production-backoffice-secret",
  OIDC_ADMIN_CLIENT_SECRET: "test-production-admin-secret",
  IUV_PERMUTATION_SECRET: "test-production-iuv-permutation-secret",
  PUBLIC_BASE_URL: "https://pagamenti.regione.example",
  OIDC_ISSUER_URL: "https://id.regione.example/realms/pontepa",
  CHECKOUT_BASE_URL: "https://api.platform.pagopa.it/checkout/ec/v2",
  PAGOPA_BACKOFFICE_URL: "https://api.platform.pagopa.it/backoffice/external/ec/v1",
  FDR_BASE_URL: "https://api.platform.pagopa.it/fdr-org/service/v1",
  NODE_FOR_PA_URL: "https://api.platform.pagopa.it/nodo/nodo-per-pa/v1",
  PAGOPA_BIZEVENTS_URL: "https://api.platform.pagopa.it/bizevents/service/v1",
  PAGOPA_ACA_URL: "https://api.platform.pagopa.it/aca/debt-positions-service/v1",
  SPID_IDP_REGISTRY: "https://registry.spid.gov.it/entities-idp",
  SPID_IDP_REGISTRY_CERT: "/etc/pontepa/agid-registry.pem",
  SMTP_URL: "smtps://smtp.regione.example",
};
