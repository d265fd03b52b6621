import assert from "node:assert/strict";
import { afterAll, beforeAll, describe, it } from "@jest/globals";
import { testEngines } from "./support/databases.js";
import { startHarness, type Harness } from "./support/harness.js";

// One ledger, three dialects (SPEC §3): a message ingested once reads the same through Status200,
// TelecomX and Exolve, and a delivery webhook shows in all three at once.

const digits = (phone: string) => phone.replace(/[^0-9]/g, "");

for (const engine of testEngines()) {
  (engine.skip ? describe.skip : describe)(`${engine.name}: one message through every dialect`, () => {
    let h: Harness;
    let key: string;
    let message: { _id: string; messageId: string };

    beforeAll(async () => {
      h = await startHarness(engine);
      const project = await h.createProject();
      // One key for every dialect: its grants decide what it may do (SPEC §2).
      key = await h.createKey({ projectId: project._id, permissions: ["ReadSmsLog"], accessLevel: "OWNER" });
      const [ingested] = await h.ingest([
        {
          projectId: project._id,
          fromNumber: "+45 70 10 20 30",
          toNumber: "+45 81 80 88 88",
          smsText: "Hello from commlog",
          providerExternalId: "smsc-1",
          price: 0.75,
          createdAt: "2024-03-15T10:00:00.123Z",
        },
      ]);
      message = ingested!;
    });
    afterAll(() => h?.close());

    const status200 = async () => {
      const response = await h.http
        .post("/api/sms-log/get-list")
        .set("ApiKey", key)
        .send({ select: { toNumber: true, fromNumber: true, smsText: true, status: true, createdAt: true }, query: {}, sort: { createdAt: -1 } });
      assert.equal(response.status, 200, JSON.stringify(response.body));
      assert.equal(response.body.count, 1);
      return response.body.data[0];
    };
    const telecomx = async () => {
      const response = await h.http.get("/sms").set("Authorization", `Bearer ${key}`);
      assert.equal(response.status, 200, JSON.stringify(response.body));
      assert.equal(response.body.total, 1);
      return response.body.messages[0];
    };
    const exolve = async (body: object) => {
      const response = await h.http.post("/messaging/v1/GetCount").set("Authorization", `Bearer ${key}`).send(body);
      assert.equal(response.status, 200, JSON.stringify(response.body));
      return response.body.count as string;
    };

    it("reads the same message, with consistent values, through Status200, TelecomX and Exolve", async () => {
      const [s200, tx] = [await status200(), await telecomx()];
      assert.equal(s200._id, message._id);
      assert.equal(tx._id, message._id);
      assert.equal(s200.smsText, "Hello from commlog");
      assert.equal(tx.message, "Hello from commlog");
      assert.equal(s200.createdAt, "2024-03-15T10:00:00.123Z");
      assert.equal(s200.status, "Sending");
      assert.equal(tx.sent, null);
      assert.equal(await exolve({ message_id: message.messageId, status: "STATUS_QUEUED", direction: "DIRECTION_OUTGOING" }), "1");
      assert.equal(await exolve({ date_gte: "2024-03-15T10:00:00.123Z", date_lte: "2024-03-15T13:00:00.123+03:00" }), "1");
    });

    it("formats phones per dialect but always as the same number", async () => {
      const [s200, tx] = [await status200(), await telecomx()];
      // Status200 keeps numbers as given; TelecomX shows +<digits>; Exolve matches any spelling.
      assert.equal(s200.toNumber, "+45 81 80 88 88");
      assert.equal(s200.fromNumber, "+45 70 10 20 30");
      assert.deepEqual(tx.to, ["+4581808888"]);
      assert.equal(tx.from, "+4570102030");
      assert.equal(digits(tx.to[0]), digits(s200.toNumber));
      assert.equal(digits(tx.from), digits(s200.fromNumber));
      for (const number of [s200.toNumber, tx.to[0], "4581808888", s200.fromNumber, tx.from]) assert.equal(await exolve({ number }), "1", number);
    });

    it("shows a delivery-status update in all three dialects at once", async () => {
      const update = await h.internal("post", "/internal/v1/sms/status", { _id: message._id, deliveryStatus: "delivered" });
      assert.equal(update.status, 200, JSON.stringify(update.body));

      const [s200, tx] = [await status200(), await telecomx()];
      assert.equal(s200.status, "Delivered");
      assert.equal(await exolve({ status: "STATUS_DELIVERED" }), "1");
      assert.equal(await exolve({ delivery_status: 3 }), "1");
      assert.equal(await exolve({ status: "STATUS_QUEUED" }), "0");
      assert.equal(typeof tx.sent, "string");
      assert.ok(Date.parse(tx.sent) >= Date.parse("2024-03-15T10:00:00.123Z"), tx.sent);
      // sent is on the SENT timeline now: the message is listed in that month.
      const month = tx.sent.slice(0, 7);
      const bySent = await h.http.get(`/sms?sort=SENT&fromDate=${month}&toDate=${month}`).set("Authorization", `Bearer ${key}`);
      assert.deepEqual(bySent.body.messages.map((m: { _id: string }) => m._id), [message._id]);
    });
  });
}
