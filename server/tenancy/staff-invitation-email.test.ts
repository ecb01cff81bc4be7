import { describe, expect, test } from "vitest";
import { staffInvitationEmail } from "./staff-invitation-email.ts";

const view = {
  name: "Chiara",
  council: "Comune di Borgo Fiorito",
  role: "Operatore",
  backofficeUrl: "https://pagamenti.regione.example/backoffice/",
  passwordMailSent: true,
};

describe("the staff invitation notice", () => {
  test("names the council and the role, in the subject and both bodies", () => {
    const mail = staffInvitationEmail(view);
    expect(mail.subject).toBe("Accesso al back-office pagoPA di Comune di Borgo Fiorito");
    for (const body of [mail.text, mail.html]) {
      expect(body).toContain("Comune di Borgo Fiorito");
      expect(body).toContain("Operatore");
      expect(body).toContain("https://pagamenti.regione.example/backoffice/");
    }
  });

  test("points to the realm's password e-mail only when one was sent", () => {
    expect(staffInvitationEmail(view).text).toContain("scegliere la password");
    const existing = staffInvitationEmail({ ...view, passwordMailSent: false });
    expect(existing.text).not.toContain("scegliere la password");
    expect(existing.text).toContain("credenziali che usi già");
  });

  test("escapes what the admin typed in the HTML body", () => {
    const mail = staffInvitationEmail({ ...view, name: "<b>Chiara</b>" });
    expect(mail.html).toContain("&lt;b&gt;Chiara&lt;/b&gt;");
    expect(mail.html).not.toContain("<b>Chiara</b>");
  });
});
