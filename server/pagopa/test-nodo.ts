// The test Nodo a council's pre-production run pays through: the port tenancy's scripted tests
// use; nodo/preproduction/ implements it over HTTP against a PSP counter of the test environment
// (the Nodo simulator's in development).

/** One message exchanged between the Nodo and our station, as the test report shows it. */
export interface NodoExchange {
  /** e.g. paVerifyPaymentNotice, paGetPaymentV2, paSendRTV2. */
  operation: string;
  /** OK, the fault code, or LOST (...) when the station did not answer in time. */
  outcome: string;
  ms: number;
}

export interface TestNodoVerify {
  ok: boolean;
  faultCode?: string;
  /** The amount the station answered, in cents (present when ok). */
  amountCents?: number;
  exchanges: NodoExchange[];
}

export interface TestNodoPayment {
  ok: boolean;
  /** Why the payment did not complete (the fault code or the PSP's reason). */
  error?: string;
  /** The receipt the Nodo delivered, when it did. */
  receiptId?: string;
  /** Transfers the receipt carried. */
  transfers: number;
  exchanges: NodoExchange[];
}

/** A notice of a council, and the station the Nodo reaches the council through. */
export interface TestNotice {
  creditorFiscalCode: string;
  nav: string;
  stationCode: string;
}

/** A PSP counter of pagoPA's test environment: verifies or pays a notice end to end through the Nodo. */
export interface TestNodo {
  verify(notice: TestNotice): Promise<TestNodoVerify>;
  pay(notice: TestNotice): Promise<TestNodoPayment>;
}
