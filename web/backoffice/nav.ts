import type { Response } from "express";
import { can } from "../../server/identity/staff/index.ts";

interface NavItem {
  href: string;
  label: string;
  current?: boolean;
}

/** The menu for the current page: the council's sections when inside one, the staff's areas otherwise. */
export function navFor(res: Response, currentHref: string): NavItem[] {
  const principal = res.locals.staff!.principal;
  const tenant = res.locals.tenant;
  const items: NavItem[] = [];
  if (tenant) {
    const base = `/backoffice/enti/${tenant.ipaCode}`;
    items.push(
      { href: base, label: "Riepilogo" },
      { href: `${base}/posizioni`, label: "Posizioni" },
      { href: `${base}/pagamenti`, label: "Pagamenti" },
      { href: `${base}/riconciliazione`, label: "Riconciliazione" },
    );
    if (can(principal, "positions.write", tenant.ipaCode))
      items.push({ href: `${base}/posizioni/nuova`, label: "Nuova posizione" });
    items.push(
      { href: `${base}/importazioni`, label: "Importazioni" },
      { href: `${base}/stampe`, label: "Stampa avvisi" },
    );
    items.push(
      { href: `${base}/tipi-pagamento`, label: "Tipi di pagamento" },
      { href: `${base}/conti`, label: "Conti di accredito" },
      { href: `${base}/webhook`, label: "Webhook" },
      { href: `${base}/stand-in`, label: "Stand-In (ACA)" },
      { href: `${base}/impostazioni`, label: "Impostazioni ente" },
    );
    if (can(principal, "tenant.configure", tenant.ipaCode))
      items.push({ href: `${base}/client-api`, label: "Client API" });
    items.push(
      { href: `${base}/personale`, label: "Personale" },
      { href: `${base}/registro`, label: "Registro modifiche" },
    );
  } else {
    items.push({ href: "/backoffice/", label: "I miei enti" });
  }
  if (can(principal, "helpdesk.read"))
    items.push(
      { href: "/backoffice/assistenza", label: "Assistenza" },
      { href: "/backoffice/assistenza/enti", label: "Stato degli enti" },
      { href: "/backoffice/assistenza/adesioni", label: "Adesioni" },
    );
  if (can(principal, "platform.manage")) items.push({ href: "/backoffice/piattaforma", label: "Piattaforma" });
  return items.map((i) => ({ ...i, current: i.href === currentHref }));
}

/** Renders a back-office view with the layout, the menu and the page title. */
export function renderPage(res: Response, view: string, currentHref: string, data: Record<string, unknown>): void {
  res.render(`backoffice/views/${view}`, { layout: "backoffice", nav: navFor(res, currentHref), ...data });
}
