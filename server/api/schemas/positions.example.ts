/** The documentation's example of a create body: a TARI bill, single payment or two installments. */
export const CREATE_POSITION_EXAMPLE = {
  externalId: "TARI-2027-000123",
  paymentTypeCode: "TARI",
  subject: "TARI 2027",
  debtor: { type: "F", fiscalCode: "RSSMRA80A01H501U", name: "Mario Rossi", email: "mario.rossi@example.org" },
  single: {
    amountCents: 30000,
    dueDate: "2027-06-30",
    transfers: [
      {
        amountCents: 28500,
        taxonomyCode: "9/0101002IM/",
        remittanceText: "TARI 2027",
        iban: "IT60X0542811101000000123456",
      },
      {
        amountCents: 1500,
        taxonomyCode: "9/0101002IM/",
        remittanceText: "TEFA 2027",
        beneficiaryFiscalCode: "80000000001",
        iban: "IT02A0760103200000012345678",
        postalIban: true,
      },
    ],
  },
  installments: [
    {
      amountCents: 15000,
      dueDate: "2027-06-30",
      transfers: [
        {
          amountCents: 15000,
          taxonomyCode: "9/0101002IM/",
          remittanceText: "TARI 2027 rata 1",
          iban: "IT60X0542811101000000123456",
        },
      ],
    },
    {
      amountCents: 15000,
      dueDate: "2027-09-30",
      transfers: [
        {
          amountCents: 15000,
          taxonomyCode: "9/0101002IM/",
          remittanceText: "TARI 2027 rata 2",
          iban: "IT60X0542811101000000123456",
        },
      ],
    },
  ],
};
