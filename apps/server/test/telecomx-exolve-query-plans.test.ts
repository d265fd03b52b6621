import assert from "node:assert/strict";
import { afterAll, beforeAll, describe, it } from "@jest/globals";
import type { ExolveCountFilter } from "@commlog/domain";
import type { Statement } from "../src/db/sql.js";
import { countQuery } from "../src/exolve/sms-count.js";
import { listQueries, type TelecomxListQuery } from "../src/telecomx/sms-repository.js";
import { testEngines } from "./support/databases.js";
import { startHarness, type Harness } from "./support/harness.js";

// The main TelecomX and Exolve queries are served by the (projectId, …) indexes of the migration:
// on PostgreSQL with ~20k rows and fresh statistics, EXPLAIN shows no sequential scan of `sms` or
// of any of its partitions.
// The statements are built by the repositories themselves, so this checks what really runs.
// PRINT_PLANS=1 prints the plans (recorded in docs/query-plans.md).

const PROJECTS = 20;
const ROWS_PER_PROJECT = 1000;
const DAY = 86_400_000;
const START = Date.UTC(2023, 0, 1);

interface PlanNode {
  "Node Type": string;
  "Relation Name"?: string;
  "Index Name"?: string;
  Plans?: PlanNode[];
}

function nodes(plan: PlanNode): PlanNode[] {
  return [plan, ...(plan.Plans ?? []).flatMap(nodes)];
}

/** A ledger row of a synthetic but varied history: two years, both directions, every status, some never sent or invoiced. */
function row(projectId: string, i: number) {
  const createdAt = START + Math.floor((i * 730 * DAY) / ROWS_PER_PROJECT) + (i % 97) * 1000;
  const delivery = ["queued", "transmitted", "delivered", "failed"][i % 4]!;
  return {
    projectId,
    direction: i % 5 === 0 ? "incoming" : "outgoing",
    toNumber: `+4581${String(i % 400).padStart(6, "0")}`,
    ...(i % 7 === 0 ? { senderName: `Shop${i % 13}` } : { fromNumber: `+4570${String(i % 300).padStart(6, "0")}` }),
    smsText: `message ${i}`,
    deliveryStatus: delivery,
    billingStatus: ["prebilled", "billed", "refunded", "authorized"][i % 4],
    createdAt: new Date(createdAt).toISOString(),
    ...(delivery !== "queued" ? { sentAt: new Date(createdAt + 60_000).toISOString() } : {}),
    ...(i % 3 === 0 ? { invoicedAt: new Date(createdAt + 3 * DAY).toISOString() } : {}),
    price: 0.75,
  };
}

for (const engine of testEngines().filter((e) => e.name === "postgres")) {
  (engine.skip ? describe.skip : describe)(`${engine.name}: the main TelecomX and Exolve queries use an index`, () => {
    let h: Harness;
    let projectId: string;
    let emptyPartitions: Set<string>;

    beforeAll(async () => {
      h = await startHarness(engine);
      const projects: string[] = [];
      for (let p = 0; p < PROJECTS; p++) projects.push((await h.createProject())._id);
      for (const id of projects) await h.ingest(Array.from({ length: ROWS_PER_PROJECT }, (_, i) => row(id, i)));
      projectId = projects[7]!;
      await h.dataSource.query("ANALYZE sms");
      const empty = (await h.dataSource.query(`SELECT relname FROM pg_class WHERE relname ~ '^sms_(p[0-9]{6}|default)$' AND reltuples <= 0`)) as Array<{ relname: string }>;
      emptyPartitions = new Set(empty.map((row) => row.relname));
    });
    afterAll(() => h?.close());

    async function explain(name: string, statement: Statement): Promise<PlanNode[]> {
      const [sql, parameters] = h.dataSource.driver.escapeQueryWithParameters(statement.sql, statement.params);
      const [{ "QUERY PLAN": [json] }] = await h.dataSource.query(`EXPLAIN (FORMAT JSON) ${sql}`, parameters);
      if (process.env.PRINT_PLANS) {
        const text = await h.dataSource.query(`EXPLAIN ${sql}`, parameters);
        console.log(`\n### ${name}\n\n${sql}\n\n${text.map((r: { "QUERY PLAN": string }) => r["QUERY PLAN"]).join("\n")}`);
      }
      return nodes(json.Plan);
    }

    function assertIndexed(name: string, plan: PlanNode[]) {
      // sms itself, or its monthly / default partitions on PostgreSQL; scanning a partition that
      // holds no row (the months ahead) is free, and the planner rightly does it sequentially.
      const onSms = plan.filter((node) => /^sms(_p\d{6}|_default)?$/.test(node["Relation Name"] ?? ""));
      const scanned = onSms.filter((node) => node["Node Type"] === "Seq Scan" && !emptyPartitions.has(node["Relation Name"]!));
      assert.deepEqual(scanned, [], `${name}: sequential scan of sms`);
      assert.ok(onSms.some((node) => /Index/.test(node["Node Type"])) || plan.some((node) => node["Node Type"] === "Bitmap Index Scan"), `${name}: no index used`);
    }

    const telecomx = (overrides: Partial<TelecomxListQuery>): TelecomxListQuery => ({
      scope: { kind: "projects", projectIds: [projectId] },
      sort: "CREATED",
      range: {},
      offset: 0,
      limit: 100,
      ...overrides,
    });
    const months = { from: new Date(Date.UTC(2024, 2, 1)), toExclusive: new Date(Date.UTC(2024, 5, 1)) };

    for (const sort of ["CREATED", "SENT", "INVOICED"] as const) {
      it(`TelecomX: a customer's month range sorted by ${sort} (page and total)`, async () => {
        const { count, page } = listQueries(h.dataSource, telecomx({ sort, range: months }));
        assertIndexed(`${sort} page`, await explain(`TelecomX page, customer + 2024-03..2024-05, sort=${sort}`, page));
        assertIndexed(`${sort} total`, await explain(`TelecomX total, customer + 2024-03..2024-05, sort=${sort}`, count));
      });

      it(`TelecomX: a customer's newest page sorted by ${sort}, no date filter`, async () => {
        const { page } = listQueries(h.dataSource, telecomx({ sort, offset: 200 }));
        assertIndexed(`${sort} unfiltered page`, await explain(`TelecomX page, customer, no dates, sort=${sort}, offset 200`, page));
      });
    }

    it("TelecomX: to, from (number and name) filters", async () => {
      for (const [name, query] of [
        ["to", telecomx({ toDigits: "4581000042" })],
        ["from number", telecomx({ sender: { digits: "4570000042" } })],
        ["from name", telecomx({ sender: { nameLower: "shop3" } })],
      ] as const) {
        const { count, page } = listQueries(h.dataSource, query);
        assertIndexed(name, await explain(`TelecomX page, customer + ${name}`, page));
        assertIndexed(name, await explain(`TelecomX total, customer + ${name}`, count));
      }
    });

    const exolve = async (name: string, filter: ExolveCountFilter) => assertIndexed(name, await explain(`Exolve count, ${name}`, countQuery(h.dataSource, projectId, filter)));

    it("Exolve: count with a date range and a status", async () => {
      await exolve("date range + status", { dateGte: new Date("2024-03-01T00:00:00Z"), dateLte: new Date("2024-03-31T23:59:59.999Z"), status: "DELIVERED" });
      await exolve("date range", { dateGte: new Date("2024-03-01T00:00:00Z"), dateLte: new Date("2024-03-31T23:59:59.999Z") });
      await exolve("status", { status: "FAILED" });
    });

    it("Exolve: count by message_id, number, delivery and billing status", async () => {
      await exolve("message_id", { messageId: "444067567615608452" });
      await exolve("number", { number: { digits: "4581000042", senderName: "4581000042" } });
      await exolve("delivery_status", { deliveryStatus: "delivered" });
      await exolve("billing_status + direction", { billingStatus: "billed", direction: "outgoing" });
    });
  });
}
