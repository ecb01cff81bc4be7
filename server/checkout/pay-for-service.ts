import { createSpontaneousPosition } from "../positions/index.ts";
import type { Tenant } from "../generated/prisma/client.ts";
import { addToCart, type AddedToCart } from "./add-to-cart.ts";
import type { CheckoutDeps } from "./checkout-deps.ts";

export interface ServicePayment {
  tenant: Tenant;
  serviceCode: string;
  /** The council's form as posted: field name → text. */
  values: Record<string, string>;
  debtor: { fiscalCode: string; name: string; email?: string };
  /** The SPID fiscal code of the logged-in citizen making it, if any. */
  citizenFiscalCode?: string;
}

/**
 * A citizen pays a council's service: the spontaneous position is created from the form (the
 * catalog's rules) and its notice goes in the cart. The e-mail typed on the form is kept in the
 * cart for the receipt, so the citizen is asked once (the cart page shows it pre-filled).
 * @throws FormValidationError | AppError CART_FULL
 */
export async function payForService(
  deps: Pick<CheckoutDeps, "db" | "carts" | "amountRules">,
  cartId: string | undefined,
  input: ServicePayment,
): Promise<AddedToCart> {
  const { tenant } = input;
  const result = await createSpontaneousPosition(
    deps.db,
    deps.amountRules,
    tenant,
    {
      paymentTypeCode: input.serviceCode,
      channel: "PORTAL",
      values: input.values,
      ...(input.citizenFiscalCode ? { citizenFiscalCode: input.citizenFiscalCode } : {}),
      debtor: {
        type: "F",
        fiscalCode: input.debtor.fiscalCode,
        name: input.debtor.name,
        ...(input.debtor.email ? { email: input.debtor.email } : {}),
      },
    },
    { type: "citizen", id: input.citizenFiscalCode ? "spid" : "anonymous" },
  );
  const option = result.position.options[0]!;
  return addToCart(
    deps,
    cartId,
    {
      tenantId: tenant.id,
      ipaCode: tenant.ipaCode,
      creditorFiscalCode: tenant.fiscalCode,
      companyName: tenant.name,
      nav: option.nav,
      amountCents: option.amountCents,
      description: result.subject.slice(0, 140),
      positionId: result.position.id,
      installment: null,
      debtorKnown: true, // the visitor typed the debtor's data themselves
    },
    input.debtor.email ? { email: input.debtor.email } : {},
  );
}
