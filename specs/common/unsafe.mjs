// The implementation of `@unsafe` (declared in unsafe.tsp): the operation's `x-commlog-unsafe`
// extension, which the server reads from the emitted document to refuse HEAD on it.
import { setExtension } from "@typespec/openapi";

function $unsafe(context, target) {
  setExtension(context.program, target, "x-commlog-unsafe", true);
}

export const $decorators = { "Commlog.Common": { unsafe: $unsafe } };
