import assert from "node:assert/strict";
import { afterAll, describe, it } from "@jest/globals";
import { createDataSource } from "../src/db/data-source.js";
import { createPostgresDatabase, testEngines } from "./support/databases.js";
import { assertLedgerIntegrity, deliveryStatuses } from "./support/ledger-invariants.js";
import { prng } from "../src/seeded-random.js";
import { startServerProcess } from "./support/servers.js";

// "The server is stateless": three real server processes, started together on one fresh
// PostgreSQL database (each runs the migrations at start), share concurrent ingest with
// overlapping replays in random order and racing webhooks, spread over them round-robin. The
// ledger keeps every invariant (SPEC §10): rollups equal COUNT(*), each idempotency key and
// message id once, every message in its furthest state, and no answer is a 5xx.

const ADMIN = "several-servers-admin-token-0123456789abcdef";
const RANK: Record<string, number> = { queued: 0, transmitted: 1, delivered: 2 };
const postgres = testEngines().find((engine) => engine.name === "postgres")!;

async function startServer(databaseUrl: string) {
  const server = await startServerProcess({ DATABASE_URL: databaseUrl, DATABASE_REPLICA_URLS: "", COMMLOG_ADMIN_TOKEN: ADMIN, LOG_LEVEL: "fatal" });
  cleanups.push(() => void server.child.kill("SIGKILL"));
  return server;
}

const cleanups: Array<() => Promise<void> | void> = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

async function freshDatabase(): Promise<string> {
  const database = await createPostgresDatabase("commlog_servers");
  cleanups.push(database.drop);
  return database.url;
}

(postgres.skip ? describe.skip : describe)("three servers on one PostgreSQL database", () => {
  it("share concurrent ingest, replays and racing webhooks round-robin and keep every invariant", async () => {
    const databaseUrl = await freshDatabase();
    // Started together: their migrations race on the empty database.
    const servers = await Promise.all([0, 1, 2].map(() => startServer(databaseUrl)));
    let turn = 0;
    const answers: Array<{ path: string; status: number }> = [];
    /** Each request to the next server in turn. */
    const post = async (path: string, body: object) => {
      const base = servers[turn++ % servers.length]!.url;
      const response = await fetch(`${base}${path}`, { method: "POST", headers: { "Content-Type": "application/json", Authorization: `Bearer ${ADMIN}` }, body: JSON.stringify(body) });
      const answer = { status: response.status, body: (await response.json()) as any };
      answers.push({ path, status: answer.status });
      return answer;
    };
    const projects = [(await post("/internal/v1/projects", { name: "one" })).body._id as string, (await post("/internal/v1/projects", { name: "two" })).body._id as string];

    // 1. A storm: overlapping batches of random keys in random order, replayed at random, and
    //    forward/backward webhooks for random keys, from 24 clients over the three servers.
    const rng = prng(16);
    const keys = Array.from({ length: 400 }, (_, i) => ({ projectId: projects[i % 2]!, key: `k-${i}` }));
    const message = ({ projectId, key }: { projectId: string; key: string }) => ({ projectId, toNumber: `+4533${key.slice(2).padStart(6, "0")}`, providerExternalId: key });
    const furthest = new Map<string, number>();
    const idsOf = new Map<string, string>();
    let written = 0;
    const client = async () => {
      for (let round = 0; round < 14; round++) {
        if (rng() < 0.5) {
          const batch = keys.filter(() => rng() < 0.12).sort(() => rng() - 0.5);
          if (!batch.length) continue;
          const answer = await post("/internal/v1/sms", { messages: batch.map(message) });
          if (answer.status !== 200) continue;
          answer.body.data.forEach((result: { _id: string; messageId: string; duplicate: boolean }, i: number) => {
            const id = `${batch[i]!.projectId}/${batch[i]!.key}`;
            const ids = `${result._id}/${result.messageId}`;
            assert.equal(idsOf.get(id) ?? ids, ids, `every server answers ${id} with the same ids`);
            idsOf.set(id, ids);
            if (!result.duplicate) written++;
          });
        } else {
          const { projectId, key } = keys[Math.floor(rng() * keys.length)]!;
          const deliveryStatus = ["queued", "transmitted", "delivered"][Math.floor(rng() * 3)]!;
          const answer = await post("/internal/v1/sms/status", { projectId, providerExternalId: key, deliveryStatus });
          if (answer.status === 200) furthest.set(`${projectId}/${key}`, Math.max(furthest.get(`${projectId}/${key}`) ?? 0, RANK[deliveryStatus]!));
        }
      }
    };
    await Promise.all(Array.from({ length: 24 }, client));
    assert.equal(written, idsOf.size, "exactly one answer, on whichever server, wrote each message");

    // 2. Racing webhooks for the same messages, their three orders on the three servers at once.
    const racing = Array.from({ length: 30 }, (_, i) => ({ projectId: projects[0]!, toNumber: `+4534${String(i).padStart(6, "0")}`, providerExternalId: `race-${i}` }));
    assert.equal((await post("/internal/v1/sms", { messages: racing })).status, 200);
    const orders = [["transmitted", "delivered", "queued"], ["delivered", "transmitted", "queued"], ["queued", "transmitted", "delivered"]];
    const raced = await Promise.all(
      racing.flatMap((m, i) => orders[i % 3]!.map((deliveryStatus) => post("/internal/v1/sms/status", { projectId: m.projectId, providerExternalId: m.providerExternalId, deliveryStatus }))),
    );
    assert.deepEqual([...new Set(raced.map((a) => a.status))], [200]);

    // No 5xx anywhere; a 404 only for a webhook that came before its message.
    const unexpected = answers.filter((a) => a.status !== 200 && !(a.status === 404 && a.path === "/internal/v1/sms/status"));
    assert.deepEqual(unexpected, [], "only 200, or 404 for a webhook before its message");
    assert.ok(answers.length > 300, `${answers.length} requests`);

    const dataSource = createDataSource(databaseUrl);
    await dataSource.initialize();
    try {
      await assertLedgerIntegrity(dataSource);
      const final = new Map<string, string>();
      for (const projectId of projects) for (const [key, status] of await deliveryStatuses(dataSource, projectId)) final.set(`${projectId}/${key}`, status);
      assert.equal(final.size, idsOf.size + racing.length, "every acknowledged message is stored, once");
      for (const [id, rank] of furthest) assert.equal(RANK[final.get(id)!], rank, `${id} is in its furthest state`);
      for (const m of racing) assert.equal(final.get(`${m.projectId}/${m.providerExternalId}`), "delivered");
    } finally {
      await dataSource.destroy();
    }
  });
});
