import assert from "node:assert/strict";
import { afterAll, beforeAll, describe, it } from "@jest/globals";
import { testEngines } from "./support/databases.js";
import { ADMIN_TOKEN, startHarness, type Harness } from "./support/harness.js";
import { assertLedgerIntegrity, deliveryStatuses } from "./support/ledger-invariants.js";
import { prng } from "../src/seeded-random.js";
import { listen } from "./support/servers.js";

// Many concurrent clients on one real HTTP server: ingest, overlapping replays in random order, and
// racing forward/backward webhooks for the same messages (SPEC §10 "Concurrency"). SQLite
// serialises writers; PostgreSQL does not, and it is the production engine.

const RANK: Record<string, number> = { queued: 0, transmitted: 1, delivered: 2 };

for (const engine of testEngines()) {
  (engine.skip ? describe.skip : describe)(`${engine.name}: the ledger under concurrent writers`, () => {
    let h: Harness;
    let server: Awaited<ReturnType<typeof listen>>;
    let base: string;
    beforeAll(async () => {
      h = await startHarness(engine);
      server = await listen(h.app);
      base = server.base;
    });
    afterAll(async () => {
      await server?.close();
      await h?.close();
    });

    const post = async (path: string, body: object) => {
      const response = await fetch(`${base}${path}`, {
        method: "POST",
        headers: { "Content-Type": "application/json", Authorization: `Bearer ${ADMIN_TOKEN}` },
        body: JSON.stringify(body),
      });
      return { status: response.status, body: (await response.json()) as any };
    };

    it("racing webhooks for one message end in its furthest state, counts exact", async () => {
      const projectId = (await h.createProject())._id;
      const messages = Array.from({ length: 30 }, (_, i) => ({ projectId, toNumber: `+4530${String(i).padStart(6, "0")}`, providerExternalId: `race-${i}` }));
      await h.ingest(messages);
      const orders = [["transmitted", "delivered", "queued"], ["delivered", "transmitted", "queued"], ["queued", "transmitted", "delivered"]];
      const answers = await Promise.all(
        messages.flatMap((message, i) =>
          orders[i % orders.length]!.map((deliveryStatus) => post("/internal/v1/sms/status", { projectId, providerExternalId: message.providerExternalId, deliveryStatus })),
        ),
      );
      assert.deepEqual([...new Set(answers.map((a) => a.status))], [200]);
      const final = await deliveryStatuses(h.dataSource, projectId);
      for (const message of messages) assert.equal(final.get(message.providerExternalId), "delivered", message.providerExternalId);
      await assertLedgerIntegrity(h.dataSource);
    });

    it("overlapping batches in opposite orders never fail, and write each message once", async () => {
      const projectId = (await h.createProject())._id;
      const messages = Array.from({ length: 200 }, (_, i) => ({ projectId, toNumber: `+4531${String(i).padStart(6, "0")}`, providerExternalId: `overlap-${i}`, status: "Sent" }));
      const batches = [messages, [...messages].reverse(), messages.slice(50, 150), [...messages.slice(100)].reverse(), messages.filter((_, i) => i % 3 === 0)];
      const answers = await Promise.all([...batches, ...batches].map((batch) => post("/internal/v1/sms", { messages: batch })));
      assert.deepEqual(answers.map((a) => a.status), Array(answers.length).fill(200), JSON.stringify(answers.find((a) => a.status !== 200)?.body));
      // Every answer names the same ids for the same key, and exactly one answer wrote each message.
      const idsOf = new Map<string, string>();
      let written = 0;
      answers.forEach((answer, b) => {
        const batch = [...batches, ...batches][b]!;
        answer.body.data.forEach((result: { _id: string; messageId: string; duplicate: boolean }, i: number) => {
          const key = batch[i]!.providerExternalId;
          const ids = `${result._id}/${result.messageId}`;
          assert.equal(idsOf.get(key) ?? ids, ids, key);
          idsOf.set(key, ids);
          if (!result.duplicate) written++;
        });
      });
      assert.equal(written, messages.length);
      await assertLedgerIntegrity(h.dataSource);
    });

    it("a storm of ingest, random replays and forward/backward webhooks keeps every invariant", async () => {
      const projectId = (await h.createProject())._id;
      const rng = prng(9);
      const keys = Array.from({ length: 300 }, (_, i) => `storm-${i}`);
      const message = (key: string) => ({ projectId, toNumber: `+4532${key.slice(6).padStart(6, "0")}`, providerExternalId: key });
      const furthest = new Map<string, number>();
      const statuses: number[] = [];
      const client = async () => {
        for (let round = 0; round < 12; round++) {
          if (rng() < 0.5) {
            const batch = keys.filter(() => rng() < 0.15).sort(() => rng() - 0.5).map(message);
            if (batch.length) statuses.push((await post("/internal/v1/sms", { messages: batch })).status);
          } else {
            const key = keys[Math.floor(rng() * keys.length)]!;
            const deliveryStatus = ["queued", "transmitted", "delivered"][Math.floor(rng() * 3)]!;
            const answer = await post("/internal/v1/sms/status", { projectId, providerExternalId: key, deliveryStatus });
            statuses.push(answer.status);
            if (answer.status === 200) furthest.set(key, Math.max(furthest.get(key) ?? 0, RANK[deliveryStatus]!));
          }
        }
      };
      await Promise.all(Array.from({ length: 24 }, client));
      assert.deepEqual([...new Set(statuses)].filter((s) => s !== 200 && s !== 404), [], "only 200, or 404 for a webhook before its message");
      const final = await deliveryStatuses(h.dataSource, projectId);
      for (const [key, rank] of furthest) assert.equal(RANK[final.get(key)!], rank, `${key} is in its furthest state`);
      await assertLedgerIntegrity(h.dataSource);
    });
  });
}
