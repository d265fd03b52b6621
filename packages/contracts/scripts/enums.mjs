// Every string enum of the emitted documents as constant lists (see generate.mjs), so code that
// needs an enum's members at run time reads them from the contract, never from a copy.

/** `Commlog.Common.AccessLevel` -> `AccessLevel`. */
const shortName = (schemaName) => schemaName.split(".").pop();

/**
 * Per dialect, each string enum's members in the contract's order. An Exolve enum travels by name
 * or by number; its `<Enum>Number` schema must allow exactly the positions 0..n-1, so a member's
 * number is its position (proto3 style) and the list is the whole table.
 */
export function enumsModule(header, documents) {
  const table = {};
  for (const [dialect, document] of Object.entries(documents)) {
    const schemas = document.components?.schemas ?? {};
    table[dialect] = {};
    for (const [name, schema] of Object.entries(schemas).sort(([a], [b]) => a.localeCompare(b))) {
      if (!Array.isArray(schema.enum) || schema.type !== "string") continue;
      table[dialect][shortName(name)] = schema.enum;
      const numbers = schemas[`${name}Number`];
      if (numbers && (numbers.minimum !== 0 || numbers.maximum !== schema.enum.length - 1)) {
        throw new Error(`enums: ${dialect} ${name}Number must allow exactly 0..${schema.enum.length - 1} (a member's number is its position)`);
      }
    }
  }
  return `${header}
/** Each dialect's string enums, members in the contract's order (an Exolve member's number is its position). */
export const contractEnums = ${JSON.stringify(table, null, 2)} as const;
`;
}
