import { escapeLike, phoneDigits, restoreUrlDecodedPlus } from "@commlog/domain";

/** How the `from` filter matches the sender (SPEC §9 "TelecomX"). */
export type SenderFilter =
  /** Digits and separators: the sender number by digits, or an all-digit sender name. */
  | { digits: string }
  /** Anything else: the sender name, case-insensitively (compared with the lowercased column). */
  | { nameLower: string };

const NUMBER_LIKE = /^\+?[0-9 ().-]*[0-9][0-9 ().-]*$/;

export function senderFilter(value: string): SenderFilter {
  const restored = restoreUrlDecodedPlus(value);
  return NUMBER_LIKE.test(restored) ? { digits: phoneDigits(restored) } : { nameLower: value.toLowerCase() };
}

/** The `to` filter: digits of the number; a `+` that arrived URL-decoded as a leading space is restored first. */
export function recipientDigits(value: string): string {
  return phoneDigits(restoreUrlDecodedPlus(value));
}

/** The `message` filter: a case-insensitive substring, `%` and `_` literal (LIKE ... ESCAPE '\'). */
export function textContainsPattern(value: string): string {
  return `%${escapeLike(value.toLowerCase())}%`;
}

/** Query parameters that are present but empty filter nothing. */
export function given(value: string | undefined): string | undefined {
  return value === undefined || value === "" ? undefined : value;
}
