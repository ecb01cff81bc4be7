import { z } from "zod";

/** pagoPA Checkout `CartRequestV2` (openapi checkout_v2: POST /carts), amounts in euro cents. */
export const cartRequestSchema = z.object({
  emailNotice: z.email().optional(),
  paymentNotices: z
    .array(
      z.object({
        noticeNumber: z.string().regex(/^\d{18}$/),
        fiscalCode: z.string().regex(/^\d{11}$/),
        amount: z.number().int().min(1),
        companyName: z.string().min(1).max(140),
        description: z.string().min(1).max(140),
      }),
    )
    .min(1, "il carrello contiene almeno un avviso")
    .max(5, "il carrello di pagoPA contiene al massimo 5 avvisi"),
  returnUrls: z.object({
    returnOkUrl: z.url(),
    returnCancelUrl: z.url(),
    returnErrorUrl: z.url(),
    returnWaitingUrl: z.url(),
  }),
  idCart: z.string().min(1).max(35).optional(),
  allCCP: z.boolean().optional(),
});

export type CartRequest = z.input<typeof cartRequestSchema>;
