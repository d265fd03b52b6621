import assert from "node:assert/strict";
import { afterAll, beforeAll, describe, it } from "@jest/globals";
import { testEngines } from "./support/databases.js";
import { startHarness, type Harness } from "./support/harness.js";

// TelecomX access levels (seed 002, SPEC §5 and §9 "TelecomX"): which customers each level
// reaches, which fields it sees there, where the `message` filter is allowed, and the 403/404s.

type Level = "VIEWER" | "MANAGER" | "OWNER" | "RESELLER" | "ADMIN";
type Place = "own" | "sibling" | "foreign";
type Field = "message" | "cost" | "wholeSale" | "price";

/**
 * The expected answer per level and place: a status, and for 200 the fields present.
 * - own: the key's own project (for RESELLER its "own messages" project; for ADMIN any customer);
 * - sibling: another customer of the same reseller;
 * - foreign: a customer of another reseller.
 */
const MATRIX: Record<Level, Record<Place, 404 | Field[]>> = {
  VIEWER: { own: ["price"], sibling: 404, foreign: 404 },
  MANAGER: { own: ["price"], sibling: 404, foreign: 404 },
  OWNER: { own: ["message", "price"], sibling: 404, foreign: 404 },
  RESELLER: { own: ["message", "wholeSale", "price"], sibling: ["wholeSale", "price"], foreign: 404 },
  ADMIN: {
    own: ["message", "cost", "wholeSale", "price"],
    sibling: ["message", "cost", "wholeSale", "price"],
    foreign: ["message", "cost", "wholeSale", "price"],
  },
};

/** Where the `message` filter is allowed (every row it could match visible in full), per level and place. */
const MESSAGE_FILTER: Record<Level, Record<Place, 200 | 403 | 404>> = {
  VIEWER: { own: 403, sibling: 404, foreign: 404 },
  MANAGER: { own: 403, sibling: 404, foreign: 404 },
  OWNER: { own: 200, sibling: 404, foreign: 404 },
  RESELLER: { own: 200, sibling: 403, foreign: 404 },
  ADMIN: { own: 200, sibling: 200, foreign: 200 },
};

const FIELDS: Field[] = ["message", "cost", "wholeSale", "price"];

for (const engine of testEngines()) {
  (engine.skip ? describe.skip : describe)(`${engine.name}: TelecomX access levels`, () => {
    let h: Harness;
    /** Project ids: the customer (child of the reseller), its sibling, the reseller's own project, a foreign customer. */
    const projects = { customer: "", sibling: "", resellerOwn: "", foreign: "" };
    const keys = {} as Record<Level, string>;
    /** The customer each level's "own/sibling/foreign" means. */
    const placeOf = {} as Record<Level, Record<Place, string>>;
    const messageIds = {} as Record<string, string>;

    beforeAll(async () => {
      h = await startHarness(engine);
      const reseller = await h.createReseller();
      const other = await h.createReseller();
      projects.customer = (await h.createProject({ resellerId: reseller._id }))._id;
      projects.sibling = (await h.createProject({ resellerId: reseller._id }))._id;
      projects.resellerOwn = reseller.projectId;
      projects.foreign = (await h.createProject({ resellerId: other._id }))._id;
      for (const projectId of Object.values(projects)) {
        const [row] = await h.ingest([{ projectId, senderName: "Shop", toNumber: "+4581808888", smsText: "secret text", cost: 0.5, wholeSale: 0.65, price: 0.75 }]);
        messageIds[projectId] = row!._id;
      }
      for (const level of ["VIEWER", "MANAGER", "OWNER"] as const) {
        keys[level] = await h.createKey({ projectId: projects.customer, accessLevel: level });
        placeOf[level] = { own: projects.customer, sibling: projects.sibling, foreign: projects.foreign };
      }
      keys.RESELLER = await h.createKey({ resellerId: reseller._id });
      placeOf.RESELLER = { own: projects.resellerOwn, sibling: projects.customer, foreign: projects.foreign };
      keys.ADMIN = await h.createKey({ platform: true });
      placeOf.ADMIN = { own: projects.customer, sibling: projects.sibling, foreign: projects.foreign };
    });
    afterAll(() => h?.close());

    const list = (key: string, query: string) => h.http.get(`/sms${query}`).set("Authorization", `Bearer ${key}`);

    for (const level of Object.keys(MATRIX) as Level[]) {
      for (const place of ["own", "sibling", "foreign"] as Place[]) {
        const expected = MATRIX[level][place];
        const title =
          expected === 404
            ? `when ${level} names a ${place} customer, the answer is 404 "Customer not found"`
            : `when ${level} lists a ${place} customer, it sees exactly ${expected.join(", ")}`;
        it(title, async () => {
          const customer = placeOf[level][place];
          const response = await list(keys[level], `?customer=${customer}`);
          if (expected === 404) {
            assert.equal(response.status, 404);
            assert.deepEqual(response.body, { error: "bad_request", message: "Customer not found" });
            return;
          }
          assert.equal(response.status, 200);
          assert.equal(response.body.total, 1);
          const [message] = response.body.messages;
          assert.equal(message._id, messageIds[customer]);
          assert.equal(message.customer, customer);
          for (const field of FIELDS) assert.equal(field in message, expected.includes(field), `${level} ${place} ${field}`);
          if (expected.includes("message")) assert.equal(message.message, "secret text");
          if (expected.includes("price")) assert.equal(message.price, 0.75);
        });

        const filterExpected = MESSAGE_FILTER[level][place];
        it(`when ${level} filters a ${place} customer by message, the answer is ${filterExpected}`, async () => {
          const response = await list(keys[level], `?customer=${placeOf[level][place]}&message=secret`);
          assert.equal(response.status, filterExpected);
          if (filterExpected === 403) assert.deepEqual(response.body, { error: "access_denied", message: "Insufficient access level" });
          if (filterExpected === 200) assert.equal(response.body.total, 1);
        });
      }
    }

    it("VIEWER, MANAGER and OWNER without customer see their own project", async () => {
      for (const level of ["VIEWER", "MANAGER", "OWNER"] as const) {
        const response = await list(keys[level], "");
        assert.equal(response.status, 200);
        assert.deepEqual(response.body.messages.map((m: { customer: string }) => m.customer), [projects.customer], level);
      }
    });

    it("RESELLER without customer sees all its customers, its own project included, with text only of its own", async () => {
      const response = await list(keys.RESELLER, "");
      assert.equal(response.status, 200);
      const seen = response.body.messages.map((m: { customer: string }) => m.customer).sort();
      assert.deepEqual(seen, [projects.customer, projects.sibling, projects.resellerOwn].sort());
      for (const message of response.body.messages) assert.equal("message" in message, message.customer === projects.resellerOwn, message.customer);
    });

    it("ADMIN without customer sees every customer", async () => {
      const response = await list(keys.ADMIN, "");
      assert.deepEqual(response.body.messages.map((m: { customer: string }) => m.customer).sort(), Object.values(projects).sort());
    });

    it("the message filter without customer is 403 for VIEWER, MANAGER and RESELLER, allowed for OWNER and ADMIN", async () => {
      for (const level of ["VIEWER", "MANAGER", "RESELLER"] as const) {
        const response = await list(keys[level], "?message=secret");
        assert.equal(response.status, 403, level);
        assert.deepEqual(response.body, { error: "access_denied", message: "Insufficient access level" });
      }
      assert.equal((await list(keys.OWNER, "?message=secret")).body.total, 1);
      assert.equal((await list(keys.ADMIN, "?message=secret")).body.total, 4);
    });

    it("an unresolvable customer is 404 \"Customer not found\" for every level", async () => {
      for (const customer of ["123457890ABCDEF12345678", "00000000-0000-0000-0000-000000000000", "nope", "%20"]) {
        for (const level of Object.keys(keys) as Level[]) {
          const response = await list(keys[level], `?customer=${customer}`);
          assert.equal(response.status, 404, `${level} ${customer}`);
          assert.deepEqual(response.body, { error: "bad_request", message: "Customer not found" });
        }
      }
    });

    it("a customer id in upper case names the same customer", async () => {
      const response = await list(keys.ADMIN, `?customer=${projects.customer.toUpperCase()}`);
      assert.equal(response.status, 200);
      assert.equal(response.body.messages[0].customer, projects.customer);
    });

    it("a key without an access level is 403 access_denied", async () => {
      const key = await h.createKey({ projectId: projects.customer, permissions: ["ProjectOwner"] });
      const response = await list(key, "");
      assert.equal(response.status, 403);
      assert.deepEqual(response.body, { error: "access_denied", message: "Insufficient access level" });
    });

    it("a missing or garbled key is 401 unauthorized", async () => {
      for (const request of [h.http.get("/sms"), h.http.get("/sms").set("Authorization", "Bearer clk_garbled"), h.http.get("/sms").set("Authorization", `Basic ${keys.ADMIN}`)]) {
        const response = await request;
        assert.equal(response.status, 401);
        assert.equal(response.body.error, "unauthorized");
      }
    });
  });
}
