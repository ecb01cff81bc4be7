/** An 18-digit notice number (numero avviso, NAV). */
export type Nav = string & { readonly __brand: "Nav" };
/** The creditor reference (IUV): 17 digits for aux digit 3, or an RF reference. */
export type Iuv = string & { readonly __brand: "Iuv" };
/** A non-negative safe integer amount in euro cents. */
export type Cents = number & { readonly __brand: "Cents" };
