import assert from "node:assert/strict";
import { describe, it } from "@jest/globals";
import {
  BILLING_STATUSES,
  DELIVERY_STATUSES,
  EXOLVE_BILLING_STATUS,
  EXOLVE_DELIVERY_STATUS,
  EXOLVE_DIRECTION,
  EXOLVE_STATUS,
  SMS_STATUS_TEXTS,
  advanceDeliveryStatus,
  deriveStatusText,
  exolveEnumOf,
  exolveStatus,
  parseExolveEnum,
  resolveIngestStatus,
  type DeliveryStatus,
} from "../src/index.js";
import { throwsDomain } from "./helpers.js";

describe("ingest status resolution", () => {
  it("nothing given means queued, prebilled, Sending", () => {
    assert.deepEqual(resolveIngestStatus({}), { deliveryStatus: "queued", billingStatus: "prebilled", status: "Sending" });
  });

  it("a delivery status alone derives its text", () => {
    const expected: Record<DeliveryStatus, string> = { queued: "Sending", transmitted: "Sent", delivered: "Delivered", failed: "Failed" };
    for (const d of DELIVERY_STATUSES) {
      assert.deepEqual(resolveIngestStatus({ deliveryStatus: d }), { deliveryStatus: d, billingStatus: "prebilled", status: expected[d] });
    }
  });

  it("underfunded billing alone derives Low Balance whatever the delivery status", () => {
    assert.equal(resolveIngestStatus({ billingStatus: "underfunded" }).status, "Low Balance");
    assert.equal(resolveIngestStatus({ billingStatus: "underfunded", deliveryStatus: "failed" }).status, "Low Balance");
  });

  it("other billing statuses do not change the text", () => {
    for (const b of BILLING_STATUSES.filter((b) => b !== "underfunded")) {
      assert.equal(resolveIngestStatus({ billingStatus: b, deliveryStatus: "delivered" }).status, "Delivered", b);
    }
  });

  it("a status text alone derives the delivery (or billing) status", () => {
    const cases: Array<[string, string, string]> = [
      ["Sending", "queued", "prebilled"],
      ["Sent", "transmitted", "prebilled"],
      ["Delivered", "delivered", "prebilled"],
      ["Success", "delivered", "prebilled"],
      ["Failed", "failed", "prebilled"],
      ["Undelivered", "failed", "prebilled"],
      ["Error", "failed", "prebilled"],
      ["Low Balance", "queued", "underfunded"],
    ];
    for (const [status, deliveryStatus, billingStatus] of cases) {
      assert.deepEqual(resolveIngestStatus({ status }), { deliveryStatus, billingStatus, status }, status);
    }
  });

  it("round trip: text derived from a delivery status maps back to it", () => {
    for (const d of DELIVERY_STATUSES) {
      const text = deriveStatusText(d, "billed");
      assert.equal(resolveIngestStatus({ status: text }).deliveryStatus, d);
    }
    assert.equal(resolveIngestStatus({ status: deriveStatusText("queued", "underfunded") }).billingStatus, "underfunded");
  });

  it("consistent inputs are kept as given", () => {
    assert.deepEqual(resolveIngestStatus({ deliveryStatus: "delivered", billingStatus: "billed", status: "Success" }), {
      deliveryStatus: "delivered",
      billingStatus: "billed",
      status: "Success",
    });
    assert.deepEqual(resolveIngestStatus({ deliveryStatus: "failed", status: "Low Balance" }), {
      deliveryStatus: "failed",
      billingStatus: "underfunded",
      status: "Low Balance",
    });
  });

  it("contradictory combinations are a 400", () => {
    const bad = [
      { deliveryStatus: "delivered", status: "Failed" },
      { deliveryStatus: "queued", status: "Sent" },
      { deliveryStatus: "failed", status: "Success" },
      { status: "Low Balance", billingStatus: "billed" },
      { status: "Delivered", billingStatus: "underfunded" },
    ];
    for (const input of bad) {
      throwsDomain(() => resolveIngestStatus(input), { code: "contradictory_status", status: 400, message: /contradicts/ });
    }
  });

  it("unknown values are a 400 naming the field", () => {
    throwsDomain(() => resolveIngestStatus({ status: "delivered" }), { code: "invalid_value", field: "status" });
    throwsDomain(() => resolveIngestStatus({ deliveryStatus: "sent" }), { code: "invalid_value", field: "deliveryStatus" });
    throwsDomain(() => resolveIngestStatus({ billingStatus: "paid" }), { code: "invalid_value", field: "billingStatus" });
    assert.equal(SMS_STATUS_TEXTS.length, 8);
  });
});

describe("Exolve combined status", () => {
  it("follows the precedence PROHIBITED, UNDERFUNDED, FAILED, DELIVERED, TRANSMITTED, QUEUED", () => {
    assert.equal(exolveStatus({ deliveryStatus: "delivered", billingStatus: "underfunded", prohibited: true }), "PROHIBITED");
    assert.equal(exolveStatus({ deliveryStatus: "failed", billingStatus: "underfunded", prohibited: false }), "UNDERFUNDED");
    assert.equal(exolveStatus({ deliveryStatus: "failed", billingStatus: "billed", prohibited: false }), "FAILED");
    assert.equal(exolveStatus({ deliveryStatus: "delivered", billingStatus: "failed", prohibited: false }), "FAILED");
    assert.equal(exolveStatus({ deliveryStatus: "delivered", billingStatus: "billed", prohibited: false }), "DELIVERED");
    assert.equal(exolveStatus({ deliveryStatus: "transmitted", billingStatus: "prebilled", prohibited: false }), "TRANSMITTED");
    assert.equal(exolveStatus({ deliveryStatus: "queued", billingStatus: "authorized", prohibited: false }), "QUEUED");
  });
});

describe("delivery status only moves forward", () => {
  it("forward moves are taken, backward and final ones ignored", () => {
    const cases: Array<[DeliveryStatus, DeliveryStatus, DeliveryStatus]> = [
      ["queued", "transmitted", "transmitted"],
      ["queued", "delivered", "delivered"],
      ["queued", "failed", "failed"],
      ["transmitted", "delivered", "delivered"],
      ["transmitted", "failed", "failed"],
      ["transmitted", "queued", "transmitted"],
      ["delivered", "transmitted", "delivered"],
      ["delivered", "failed", "delivered"],
      ["failed", "delivered", "failed"],
      ["failed", "queued", "failed"],
      ["queued", "queued", "queued"],
    ];
    for (const [current, next, expected] of cases) assert.equal(advanceDeliveryStatus(current, next), expected, `${current} → ${next}`);
  });
});

describe("Exolve enums", () => {
  it("each name and number maps to its ledger value", () => {
    const tables = [EXOLVE_DIRECTION, EXOLVE_DELIVERY_STATUS, EXOLVE_BILLING_STATUS, EXOLVE_STATUS] as const;
    for (const table of tables) {
      for (const [name, n, ledger] of table.entries) {
        assert.equal(parseExolveEnum<string>(table, name), ledger, name);
        assert.equal(parseExolveEnum<string>(table, n), ledger, `${name} as ${n}`);
        if (ledger !== undefined) assert.deepEqual(exolveEnumOf<string>(table, ledger), { name, number: n });
      }
    }
    assert.equal(parseExolveEnum(EXOLVE_DIRECTION, "DIRECTION_OUTGOING"), "outgoing");
    assert.equal(parseExolveEnum(EXOLVE_BILLING_STATUS, 7), "authorized");
    assert.equal(parseExolveEnum(EXOLVE_STATUS, "STATUS_PROHIBITED"), "PROHIBITED");
  });

  it("0 and *_UNSPECIFIED mean unset", () => {
    assert.equal(parseExolveEnum(EXOLVE_DELIVERY_STATUS, 0), undefined);
    assert.equal(parseExolveEnum(EXOLVE_DELIVERY_STATUS, "DELIVERY_STATUS_UNSPECIFIED"), undefined);
  });

  it("unknown names, numbers, lowercase names and numeric strings are invalid values", () => {
    for (const bad of ["DIRECTION_SIDEWAYS", 3, -1, 1.5, "direction_outgoing", "2", "OUTGOING"]) {
      throwsDomain(() => parseExolveEnum(EXOLVE_DIRECTION, bad), { code: "invalid_value", field: "direction", message: /^invalid value: direction/ });
    }
  });
});
