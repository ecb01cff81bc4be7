/** A demo SPID identity; attribute names are the SPID ones, values as an IdP would assert them. */
export interface DemoIdentity {
  username: string;
  password: string;
  /** Highest SPID level this identity can authenticate at. */
  maxLevel: 1 | 2;
  attributes: Record<string, string>;
}

/** Password of every demo identity. Any six digits are accepted as OTP at level 2. */
export const DEMO_PASSWORD = "demo";
export const DEMO_OTP_HINT = "123456";

/** Demo identities, usable at SPID level 1 and 2. */
export const DEMO_IDENTITIES: DemoIdentity[] = [
  {
    username: "mario.rossi",
    password: DEMO_PASSWORD,
    maxLevel: 2,
    attributes: {
      spidCode: "PPTS0000000001",
      name: "Mario",
      familyName: "Rossi",
      fiscalNumber: "TINIT-RSSMRA80A01H501U",
      email: "mario.rossi@example.it",
      gender: "M",
      dateOfBirth: "1980-01-01",
      placeOfBirth: "H501",
      countyOfBirth: "RM",
      mobilePhone: "+393331234567",
      address: "Via del Corso 1 00186 Roma RM",
      digitalAddress: "mario.rossi@pec.example.it",
    },
  },
  {
    username: "giulia.bianchi",
    password: DEMO_PASSWORD,
    maxLevel: 2,
    attributes: {
      spidCode: "PPTS0000000002",
      name: "Giulia",
      familyName: "Bianchi",
      fiscalNumber: "TINIT-BNCGLI85M45L736L",
      email: "giulia.bianchi@example.it",
      gender: "F",
      dateOfBirth: "1985-08-05",
      placeOfBirth: "L736",
      countyOfBirth: "VE",
      mobilePhone: "+393407654321",
      address: "Fondamenta Nove 10 30121 Venezia VE",
      digitalAddress: "giulia.bianchi@pec.example.it",
    },
  },
];

/** Demo CIE ID identities (the /cie IdP): CIE certifies no e-mail, phone or SPID code. */
export const CIE_IDENTITIES: DemoIdentity[] = [
  {
    username: "lucia.verdi",
    password: DEMO_PASSWORD,
    maxLevel: 2,
    attributes: {
      name: "Lucia",
      familyName: "Verdi",
      fiscalNumber: "TINIT-VRDLCU90A41F205P",
      dateOfBirth: "1990-01-01",
      placeOfBirth: "F205",
      gender: "F",
    },
  },
];

/** Which federation the test IdP plays: SPID (at /spid) or CIE ID (at /cie), with its own identities. */
export interface IdpFlavour {
  scheme: "spid" | "cie";
  /** As users read it: "SPID" or "CIE". */
  label: string;
  identities: DemoIdentity[];
}
export const SPID_FLAVOUR: IdpFlavour = { scheme: "spid", label: "SPID", identities: DEMO_IDENTITIES };
export const CIE_FLAVOUR: IdpFlavour = { scheme: "cie", label: "CIE", identities: CIE_IDENTITIES };

/** The SPID attributes this IdP offers (advertised in its metadata). */
export const OFFERED_ATTRIBUTES = [
  "spidCode",
  "name",
  "familyName",
  "fiscalNumber",
  "email",
  "gender",
  "dateOfBirth",
  "placeOfBirth",
  "countyOfBirth",
  "mobilePhone",
  "address",
  "digitalAddress",
] as const;

/** Finds a demo identity by username or by fiscal code (with or without the TINIT- prefix). */
export function findIdentity(login: string, identities: DemoIdentity[] = DEMO_IDENTITIES): DemoIdentity | undefined {
  const wanted = login.trim().toLowerCase();
  return identities.find(
    (i) =>
      i.username === wanted ||
      i.attributes.fiscalNumber?.toLowerCase() === wanted ||
      i.attributes.fiscalNumber?.toLowerCase() === `tinit-${wanted}`,
  );
}
