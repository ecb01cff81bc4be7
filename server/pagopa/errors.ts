/** A value that is not a well-formed pagoPA identifier or amount. `code` is stable. */
export class PagopaFormatError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = "PagopaFormatError";
  }
}
