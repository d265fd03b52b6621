import express, { type Express } from "express";
import type { DataSource } from "typeorm";
import { jsonBodies } from "./http/body.js";
import { dialectPrefixes, dialects, type Dialect } from "./http/dialects.js";
import { docsRouter } from "./http/docs.js";
import { healthRouter } from "./http/health.js";
import { errorHandler } from "./http/error-handler.js";
import { notFound } from "./http/errors.js";
import { headAsGet } from "./http/head.js";
import { requestLogging, type Logger } from "./http/logging.js";
import { createMetrics, metricsRouter, type Metrics } from "./http/metrics.js";
import type { OperationsRouter } from "./http/operations.js";
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
  /** With a token, `GET /metrics` serves Prometheus metrics to that Bearer token (http/metrics.ts). */
  metricsToken?: string;
}

/** Each dialect's operation handlers, served at the routes of the contract (http/operations.ts). */
export function operationRouters({ dataSource, reads, metrics }: { dataSource: DataSource; reads: Reads; metrics?: Metrics }): { [D in Dialect]: OperationsRouter<D> } {
  return {
    status200: status200Router({ dataSource, reads }),
    telecomx: telecomxRouter({ reads }),
    exolve: exolveRouter({ reads }),
    internal: internalRouter({ dataSource, ...(metrics ? { metrics } : {}) }),
  };
}

/** The HTTP application, without `listen`: tests run it in-process on port 0. */
export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable("x-powered-by");
  app.set("case sensitive routing", true);
  app.set("strict routing", true);
  app.set("query parser", "simple");

  app.use(requestLogging(deps.logger));
  const metrics = deps.metricsToken ? createMetrics(deps.dataSource) : undefined;
  if (metrics) app.use(metrics.requests, metricsRouter(metrics, deps.metricsToken!));
  app.use(missingHost());
  app.use(healthRouter(deps));
  app.use(docsRouter());
  app.use(jsonBodies());
  app.use(headAsGet());
  if (!deps.adminToken) {
    app.use((req, _res, next) => next(dialectPrefixes.internal.test(req.path) ? notFound("the internal API is disabled: no admin token is configured") : undefined));
  }
  for (const dialect of dialects) app.use(contractValidator(dialect, deps));
  const routers = operationRouters({ dataSource: deps.dataSource, reads: deps.reads ?? primaryReads(deps.dataSource), ...(metrics ? { metrics } : {}) });
  for (const dialect of dialects) app.use(routers[dialect]);
  app.use((_req, _res, next) => next(notFound()));
  app.use(errorHandler());
  return app;
}
