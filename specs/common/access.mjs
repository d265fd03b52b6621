// The implementation of `@callableBy` (declared in permissions.tsp): the rule, checked against the
// AccessRule models by the compiler, becomes the operation's `x-commlog-access` extension, which the
// contracts generator turns into the permission table.
import { setExtension } from "@typespec/openapi";

/** Enum members (permissions, access levels) are written by name, as on the wire. */
function plain(value) {
  if (Array.isArray(value)) return value.map(plain);
  if (value && typeof value === "object" && value.valueKind === "EnumValue") return value.value.name;
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, plain(item)]));
  return value;
}

function $callableBy(context, target, rule) {
  setExtension(context.program, target, "x-commlog-access", plain(rule));
}

export const $decorators = { "Commlog.Common": { callableBy: $callableBy } };
