import type { Database } from "./database.ts";

const AUTOVACUUM = { name: "settings_autovacuum", text: "SELECT current_setting('autovacuum') AS autovacuum" };

/** What a role logs at start-up about the server's settings; each entry is one warning. */
export interface DatabaseSettingWarning {
  setting: string;
  value: string;
  message: string;
}

/**
 * Server settings the platform depends on but cannot set itself (its role owns no table and
 * may not ANALYZE). `autovacuum = off` leaves tables filled from empty without statistics, and
 * the foreign-key checks' cached plans made then are never remade: a large import into a fresh
 * database was seen reading every position of the council per check (docs/operations.md).
 * Answers the warnings; the caller logs them. A failed read is not a warning: readiness covers it.
 */
export async function checkDatabaseSettings(db: Pick<Database, "sql">): Promise<DatabaseSettingWarning[]> {
  const [row] = await db.sql.query<{ autovacuum: string }>(AUTOVACUUM, []);
  const warnings: DatabaseSettingWarning[] = [];
  if (row && row.autovacuum !== "on")
    warnings.push({
      setting: "autovacuum",
      value: row.autovacuum,
      message:
        "PostgreSQL's autovacuum is off: tables keep no statistics, and large imports can slow down by orders of magnitude (docs/operations.md)",
    });
  return warnings;
}
