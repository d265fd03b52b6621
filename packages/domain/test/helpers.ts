import assert from "node:assert/strict";
import { DomainError, type DomainErrorCode } from "../src/index.js";

/** Asserts `fn` throws a DomainError with the expected properties. */
export function throwsDomain(
  fn: () => unknown,
  expected: { code?: DomainErrorCode; status?: number; field?: string; message?: RegExp },
): DomainError {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  assert.ok(caught instanceof DomainError, `expected a DomainError, got ${String(caught)}`);
  if (expected.code) assert.equal(caught.code, expected.code, caught.message);
  assert.equal(caught.status, expected.status ?? 400, caught.message);
  if (expected.field) assert.equal(caught.field, expected.field, caught.message);
  if (expected.message) assert.match(caught.message, expected.message);
  return caught;
}

export const UUID_A = "37789690-28fe-11f1-b591-3fdcef396aba";
export const UUID_B = "d4e5f6a7-89ab-23de-f456-456789abcdef";
