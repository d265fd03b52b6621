import { dialects, permissionTable, type Dialect } from "@commlog/contracts";

export { dialects, type Dialect };

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * The four API dialects, told apart by the path prefix of the request: the first path segments of
 * each dialect's operations in the contract (`/api`, `/sms`, `/messaging`, `/internal`).
 */
export const dialectPrefixes = Object.fromEntries(
  dialects.map((dialect) => {
    const segments = [...new Set(Object.values(permissionTable[dialect]).map((entry) => entry.path.split("/")[1]!))];
    return [dialect, new RegExp(`^/(${segments.map(escape).join("|")})(/|$)`)];
  }),
) as Record<Dialect, RegExp>;

// A path must belong to one dialect only, or its errors would be rendered in the wrong format.
for (const dialect of dialects) {
  for (const entry of Object.values(permissionTable[dialect])) {
    const owners = dialects.filter((other) => dialectPrefixes[other].test(entry.path));
    if (owners.length !== 1) throw new Error(`${entry.path} is under the prefix of ${owners.join(" and ")}`);
  }
}

export function dialectOf(path: string): Dialect | undefined {
  return dialects.find((dialect) => dialectPrefixes[dialect].test(path));
}
