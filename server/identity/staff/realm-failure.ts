import { RealmAdminError } from "./realm-admin.ts";
import { AppError } from "../../platform/errors.ts";

/** A failure of the realm as an Italian error that says whether anything was changed already. */
export function realmFailure(err: unknown, changed: boolean): AppError {
  if (!(err instanceof RealmAdminError))
    return err instanceof AppError ? err : new AppError("INTERNAL", (err as Error)?.message ?? "error", 500);
  const state = changed
    ? "L'operazione si è interrotta a metà: ricarica la pagina per vedere lo stato attuale e riprova."
    : "Non è stato modificato nulla.";
  if (err.kind === "unreachable")
    return new AppError(
      "IDP_UNAVAILABLE",
      `Il sistema di identità della Regione non risponde. ${state} Riprova tra qualche minuto.`,
      503,
      { cause: err.message },
    );
  return new AppError(
    "IDP_REFUSED",
    `Il sistema di identità della Regione ha rifiutato l'operazione. ${state} Se si ripete, contatta l'assistenza regionale.`,
    502,
    { cause: err.message },
  );
}
