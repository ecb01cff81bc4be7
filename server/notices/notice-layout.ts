/**
 * How installments are laid out on the sheets after the first page (notice guide 3.5.1,
 * "Rate multiple"): cards side by side, two or three per row, never two layouts on one sheet.
 */
export type InstallmentLayout = "2up" | "3up";

export interface InstallmentSheet<T> {
  layout: InstallmentLayout;
  /** Rows of exactly 2 or 3 cells; null pads the last row so the layout stays uniform. */
  rows: Array<Array<T | null>>;
}

/**
 * Chooses the layout: exactly two installments (or one left to pay) print 2-up, anything else
 * 3-up, with the last row padded rather than switched to another layout. A sheet holds two rows
 * of cards, or one row and its Poste bulletins when the council has a postal account (each card
 * then needs its bulletin on the same sheet).
 */
export function planInstallmentSheets<T>(installments: T[], options: { postal: boolean }): InstallmentSheet<T>[] {
  if (installments.length === 0) return [];
  const layout: InstallmentLayout = installments.length <= 2 ? "2up" : "3up";
  const perRow = layout === "2up" ? 2 : 3;
  const rows: Array<Array<T | null>> = [];
  for (let i = 0; i < installments.length; i += perRow) {
    const row: Array<T | null> = installments.slice(i, i + perRow);
    while (row.length < perRow) row.push(null);
    rows.push(row);
  }
  const rowsPerSheet = options.postal ? 1 : 2;
  const sheets: InstallmentSheet<T>[] = [];
  for (let i = 0; i < rows.length; i += rowsPerSheet) sheets.push({ layout, rows: rows.slice(i, i + rowsPerSheet) });
  return sheets;
}
