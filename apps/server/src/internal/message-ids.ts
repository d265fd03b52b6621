import { randomInt } from "node:crypto";

/**
 * The ledger's numeric message id (the Exolve `message_id`): a 64-bit, time-ordered id made in the
 * app so that it works alike on both engines and across replicas: milliseconds since 2020 (41 bits),
 * a random per-process worker number (10 bits) and a per-millisecond sequence (12 bits).
 * Monotonically increasing within a process; roughly time-ordered across processes.
 */
const EPOCH = Date.UTC(2020, 0, 1);
const worker = BigInt(randomInt(1024));
let lastMs = 0;
let sequence = 0;

export function nextMessageId(): bigint {
  let now = Date.now() - EPOCH;
  if (now < lastMs) now = lastMs; // the clock stepped back: keep counting from the last instant
  if (now === lastMs) {
    sequence = (sequence + 1) & 0xfff;
    if (sequence === 0) now = lastMs + 1; // 4096 ids in one millisecond: borrow the next one
  } else {
    sequence = 0;
  }
  lastMs = now;
  return (BigInt(now) << 22n) | (worker << 12n) | BigInt(sequence);
}
