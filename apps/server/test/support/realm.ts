// jest runs each test file in its own VM context, whose arrays and objects have that context's
// prototypes. better-sqlite3, a native module, builds its result rows in Node's own realm instead,
// and node:assert's strict deepEqual compares prototypes too: `[]` from SQLite is not `[]` here.

/** A copy of plain arrays and objects (recursively) made in this realm; other values stay as they are. */
export function inThisRealm<T>(value: T): T {
  if (Array.isArray(value)) return Array.from(value, (item) => inThisRealm(item)) as T;
  const proto: unknown = value !== null && typeof value === "object" ? Object.getPrototypeOf(value) : undefined;
  // A plain object of any realm: its prototype is that realm's Object.prototype.
  if (proto && Object.getPrototypeOf(proto) === null && (proto as { constructor?: { name?: string } }).constructor?.name === "Object") {
    return Object.fromEntries(Object.entries(value as object).map(([key, item]) => [key, inThisRealm(item)])) as T;
  }
  return value;
}
