import express, { type Express } from "express";
import type { DataSource } from "typeorm";
import { jsonBodies } from "./http/body.js";
import { docsRouter } from "./http/docs.js";
import { healthRouter } from "./http/health.js";
import { errorHandler } from "./http/error-handler.js";
import { notFound } from "./http/errors.js";
import { requestLogging, type Logger } from "./http/logging.js";
import { missingHost } from "./http/server.js";
import { contractValidator } from "./http/validation.js";
import { primaryReads, type Reads } from "./db/replicas.js";
import { exolveRouter } from "./exolve/router.js";
import { internalRouter } from "./internal/router.js";
import { status200Router } from "./status200/router.js";
import { telecomxRouter } from "./telecomx/router.js";

export interface AppDeps {
  dataSource: DataSource;
  /**
   * Where the public dialects' read-only operations run (db/replicas.ts): a healthy read replica,
   * else the primary. Without it, the primary `dataSource`.
   */
  reads?: Reads;
  logger: Logger;
  /** The internal API's admin token; without one the internal API answers 404. */
  adminToken?: string;
  validateResponses: boolean;
}

/** The HTTP application, without `listen`: tests run it in-process on port 0. */
export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable("x-powered-by");
  app.set("case sensitive routing", true);
  app.set("strict routing", true);
  app.set("query parser", "simple");

  app.use(requestLogging(deps.logger));
  app.use(missingHost());
  app.use(healthRouter(deps));
  app.use(docsRouter());
  app.use(jsonBodies());
  // HEAD is GET without a body, except on write routes that exist only as a GET alternative,
  // which answer HEAD with 405 (SPEC §9): the validator knows no HEAD operation.
  app.use((req, _res, next) => {
    if (req.method === "HEAD" && !/\/(update|delete)-item$/.test(req.path)) req.method = "GET";
    next();
  });
  if (!deps.adminToken) app.use("/internal", (_req, _res, next) => next(notFound("the internal API is disabled: no admin token is configured")));
  for (const dialect of ["status200", "telecomx", "exolve", "internal"] as const) {
    app.use(contractValidator(dialect, deps));
  }
  const reads = deps.reads ?? primaryReads(deps.dataSource);
  app.use(status200Router({ dataSource: deps.dataSource, reads }));
  app.use(telecomxRouter({ reads }));
  app.use(exolveRouter({ reads }));
  app.use(internalRouter(deps));
  app.use((_req, _res, next) => next(notFound()));
  app.use(errorHandler());
  return app;
}
