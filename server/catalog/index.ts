export { buildFormSchema, renderSubject } from "./build-form-schema.ts";
export { computeSpontaneousAmount, splitByShares } from "./compute-spontaneous-amount.ts";
export {
  formDefinitionSchema,
  amountRuleSchema,
  taxonomyCodeSchema,
  tariffsSchema,
  TARIFF_ROLES,
  type Tariff,
  type FormDefinition,
  type AmountRule,
} from "./payment-type.schema.ts";
export { listPortalCatalog, type CatalogEntry } from "./list-portal-catalog.ts";
export { savePaymentType, paymentTypeInputSchema, type PaymentTypeInput } from "./save-payment-type.ts";
export { TaxonomyCatalog, loadTaxonomy, type TaxonomyEntry, type TaxonomyCheck } from "./taxonomy-catalog.ts";
export {
  AmountRules,
  defineAmountRulePlugin,
  type AmountRulePlugin,
  type AmountRuleContext,
  type AmountRuleResult,
} from "./amount-rules.ts";
export { listPaymentTypes, type PaymentTypeFilter } from "./list-payment-types.ts";
export { getPaymentType } from "./get-payment-type.ts";
export { serviceTemplateSchema, type ServiceTemplate } from "./service-template.schema.ts";
export { listServiceTemplates } from "./list-service-templates.ts";
export { copyServiceTemplate, copyTemplateSchema, type CopyTemplateInput } from "./copy-service-template.ts";
