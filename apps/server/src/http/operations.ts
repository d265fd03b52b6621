import {
  permissionTable,
  type Dialect,
  type ExolveTypes,
  type InternalTypes,
  type OperationId,
  type PermissionTable,
  type Status200Types,
  type TelecomXTypes,
} from "@commlog/contracts";
import { Router, type Request, type Response } from "express";

// Handlers are registered by operationId: the method and path come from the generated permission
// table, the types from the generated `operations`. A contract operation without a handler, or a
// handler for an operation the contract does not have, fails `tsc` (`Handlers<D>` is exact); a
// route string is never written by hand.

/** The generated `operations` of each dialect. */
interface DialectOperations {
  status200: Status200Types.operations;
  telecomx: TelecomXTypes.operations;
  exolve: ExolveTypes.operations;
  internal: InternalTypes.operations;
}

// Compile-time checks: one entry per dialect, and the types and the table know the same operations.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const sameDialects: Same<keyof DialectOperations, Dialect> = true;
const sameOperations: { [D in Dialect]: Same<keyof DialectOperations[D], OperationId<D>> } = {
  status200: true,
  telecomx: true,
  exolve: true,
  internal: true,
};
void sameDialects, sameOperations;

type Operation<D extends Dialect, K extends OperationId<D>> = DialectOperations[D][K & keyof DialectOperations[D]];
type JsonOf<T> = T extends { content: { "application/json": infer Body } } ? Body : never;

/**
 * The operations that reach a handler: all but those whose rule is `notViaApi`, which the security
 * handler answers 405 (http/access.ts).
 */
export type HandledOperationId<D extends Dialect> = {
  [K in OperationId<D>]: PermissionTable[D][K] extends { access: { notViaApi: true } } ? never : K;
}[OperationId<D>];

type BodyOf<Op> = Op extends { requestBody?: infer Body } ? JsonOf<NonNullable<Body>> : never;
type ParametersOf<Op, Where extends "path" | "query"> = Op extends { parameters: { [W in Where]?: infer P } } ? NonNullable<P> : never;
type SuccessOf<Op> = Op extends { responses: { 200: infer Success } } ? JsonOf<Success> : never;
/** `{}` where the contract has nothing. */
type OrEmpty<T> = [T] extends [never] ? Record<string, never> : T;

/**
 * The request body as validated. An absent body arrives as `{}` (http/body.ts), which every
 * optional body's schema accepts; an operation without a body gets that empty object.
 */
export type RequestBody<D extends Dialect, K extends OperationId<D>> = OrEmpty<BodyOf<Operation<D, K>>>;
/** The path parameters (strings, as the validator checked them). */
export type PathParameters<D extends Dialect, K extends OperationId<D>> = OrEmpty<ParametersOf<Operation<D, K>, "path">>;
/** The query parameters, coerced to their schema types by the validator. */
export type QueryParameters<D extends Dialect, K extends OperationId<D>> = OrEmpty<ParametersOf<Operation<D, K>, "query">>;
/** The body of the operation's 200 answer. */
export type ResponseBody<D extends Dialect, K extends OperationId<D>> = SuccessOf<Operation<D, K>>;

/** What a handler gets: the typed request parts, and the raw request and response (for the principal). */
export interface OperationRequest<D extends Dialect, K extends OperationId<D>> {
  body: RequestBody<D, K>;
  path: PathParameters<D, K>;
  query: QueryParameters<D, K>;
  req: Request;
  res: Response;
}

/** A handler returns the success body; the registrar sends it with status 200. Errors are thrown. */
export type OperationHandler<D extends Dialect, K extends OperationId<D>> = (request: OperationRequest<D, K>) => Promise<ResponseBody<D, K>>;

/** Exactly one handler per handled operation of the dialect. */
export type Handlers<D extends Dialect> = { [K in HandledOperationId<D>]: OperationHandler<D, K> };

type TableEntry = { method: string; path: string; access: object };

/** OpenAPI `{id}` -> Express `:id`. */
export const expressPath = (openApiPath: string) => openApiPath.replace(/\{([^}]+)\}/g, ":$1");

/** A dialect's router with the handlers it registered, by operationId (for the contract test). */
export type OperationsRouter<D extends Dialect> = Router & { dialect: D; handlers: Handlers<D> };

/**
 * A router that serves every handled operation of the dialect at the method and path of the
 * generated table. Requests arrive authenticated, authorized and schema-valid (http/validation.ts).
 */
export function operationsRouter<D extends Dialect>(dialect: D, handlers: Handlers<D>): OperationsRouter<D> {
  const router = Router({ caseSensitive: true, strict: true });
  const table = permissionTable[dialect] as Record<string, TableEntry>;
  for (const [operationId, handler] of Object.entries(handlers) as Array<[string, OperationHandler<D, OperationId<D>>]>) {
    const entry = table[operationId];
    if (!entry) throw new Error(`${dialect}: a handler for ${operationId}, which the contract does not have`);
    const method = entry.method.toLowerCase() as "get" | "post" | "put" | "delete";
    router[method](expressPath(entry.path), async (req, res) => {
      const body = await handler({ body: req.body, path: req.params as never, query: req.query as never, req, res });
      res.json(body);
    });
  }
  return Object.assign(router, { dialect, handlers });
}
