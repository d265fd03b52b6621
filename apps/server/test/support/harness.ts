// Runs the real app in-process against a real, fresh database (see databases.ts) and offers
// provisioning through the internal API, the way every user of commlog provisions.
import assert from "node:assert/strict";
import { pino, type Logger } from "pino";
import supertest from "supertest";
import type { Express } from "express";
import type { DataSource } from "typeorm";
import { createApp } from "../../src/app.js";
import type { TestEngine } from "./databases.js";

export const ADMIN_TOKEN = "test-admin-token-0123456789abcdef0123456789";

export interface Harness {
  engine: TestEngine["name"];
  app: Express;
  dataSource: DataSource;
  http: ReturnType<typeof supertest>;
  /** A request to the internal API with the admin token. */
  internal(method: "get" | "post" | "delete", path: string, body?: object): supertest.Test;
  createReseller(name?: string): Promise<{ _id: string; projectId: string }>;
  createProject(options?: { resellerId?: string; name?: string }): Promise<{ _id: string }>;
  createKey(body: Record<string, unknown>): Promise<string>;
  ingest(messages: object[]): Promise<Array<{ _id: string; messageId: string; duplicate: boolean }>>;
  close(): Promise<void>;
}

export async function startHarness(engine: TestEngine, options: { adminToken?: string | null; logger?: Logger; metricsToken?: string } = {}): Promise<Harness> {
  const database = await engine.open();
  const adminToken = options.adminToken === null ? undefined : (options.adminToken ?? ADMIN_TOKEN);
  const app = createApp({ dataSource: database.dataSource, logger: options.logger ?? pino({ level: process.env.TEST_LOG_LEVEL ?? "silent" }), adminToken, validateResponses: true, ...(options.metricsToken ? { metricsToken: options.metricsToken } : {}) });
  const http = supertest(app);
  const internal = (method: "get" | "post" | "delete", path: string, body?: object) => {
    const request = http[method](path).set("Authorization", `Bearer ${adminToken}`);
    return body === undefined ? request : request.send(body);
  };
  let counter = 0;
  const ok = async (request: supertest.Test) => {
    const response = await request;
    assert.equal(response.status, 200, `${response.status} ${JSON.stringify(response.body)}`);
    return response.body;
  };
  return {
    engine: engine.name,
    app,
    dataSource: database.dataSource,
    http,
    internal,
    createReseller: (name = `reseller-${++counter}`) => ok(internal("post", "/internal/v1/resellers", { name })),
    createProject: ({ resellerId, name = `project-${++counter}` } = {}) =>
      ok(internal("post", "/internal/v1/projects", { name, ...(resellerId ? { resellerId } : {}) })),
    createKey: async (body) => (await ok(internal("post", "/internal/v1/api-keys", { name: `key-${++counter}`, ...body }))).key,
    ingest: async (messages) => (await ok(internal("post", "/internal/v1/sms", { messages }))).data,
    close: database.close,
  };
}
