/** Digits-only copy of a phone number: what every dialect filter compares. */
export function phoneDigits(s: string): string {
  return s.replace(/[^0-9]/g, "");
}

/**
 * In a query string `+4581808888` arrives URL-decoded as ` 4581808888`:
 * a single leading space before a digit was a `+`.
 */
export function restoreUrlDecodedPlus(s: string): string {
  return /^ [0-9]/.test(s) ? `+${s.slice(1)}` : s;
}

/** SPEC §9: at most 30 characters of `+`, digits, space and `-().`, with 3 to 15 digits. */
export function isPhone(s: string): boolean {
  if (s.length > 30 || !/^[+0-9 ().-]+$/.test(s)) return false;
  const n = phoneDigits(s).length;
  return n >= 3 && n <= 15;
}

/** TelecomX shows numbers as `+<digits>`. */
export function toE164Display(digits: string): string {
  return `+${phoneDigits(digits)}`;
}
