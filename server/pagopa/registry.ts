// What pagoPA's own registry (its back-office) knows about a broker's councils: the port through
// which tenancy compares it with PontePA's data; nodo/backoffice/ implements it over HTTP.

/** What pagoPA's back-office says about one of the broker's creditor institutions. */
export interface PagopaInstitution {
  fiscalCode: string;
  name: string;
  stationCode: string | null;
  stationEnabled: boolean;
  enabled: boolean;
  auxDigit: string;
  segregationCode: string | null;
  cbill: string | null;
}

/** An IBAN pagoPA credits for a creditor institution, and from when. */
export interface PagopaIban {
  fiscalCode: string;
  iban: string;
  enabled: boolean;
  /** YYYY-MM-DD (the day of `validityDate` in Rome). */
  validFrom: string;
}

/** The port the tenancy module compares against (tests may pass any implementation). */
export interface PagopaRegistry {
  institutions(brokerFiscalCode: string): Promise<PagopaInstitution[]>;
  ibans(brokerFiscalCode: string): Promise<PagopaIban[]>;
}
