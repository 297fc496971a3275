/** First characters a spreadsheet reads as a formula (OWASP "CSV injection"): =, +, -, @, tab, carriage return. */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * One CSV cell of text (RFC 4180): a cell that a spreadsheet would run as a formula gets a leading `'` (so `=1+1` shows as text),
 * and a cell with a comma, quote, CR or LF — or the added `'` — is quoted with inner quotes doubled. null is an empty cell.
 */
export function csvTextCell(value: string | null): string {
  if (value === null) return '';
  const safe = FORMULA_START.test(value) ? `'${value}` : value;
  return safe !== value || /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** A number cell: written as is (our numbers, never user text); null is empty. */
export function csvNumberCell(value: number | null): string {
  return value === null ? '' : String(value);
}

export function csvLine(cells: string[]): string {
  return `${cells.join(',')}\r\n`;
}
