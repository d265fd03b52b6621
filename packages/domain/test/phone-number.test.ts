import assert from "node:assert/strict";
import { describe, it } from "@jest/globals";
import { isPhone, phoneDigits, restoreUrlDecodedPlus, toE164Display } from "../src/index.js";

describe("phone numbers", () => {
  it("the digits-only copy makes formatted, E.164 and bare numbers equal", () => {
    assert.equal(phoneDigits("+45 81 80 88 88"), "4581808888");
    assert.equal(phoneDigits("+4581808888"), "4581808888");
    assert.equal(phoneDigits("4581808888"), "4581808888");
    assert.equal(phoneDigits("+1-555-123-4567"), "15551234567");
    assert.equal(phoneDigits("(555) 123.4567"), "5551234567");
  });

  it("a leading space that was a URL-decoded + becomes + again", () => {
    assert.equal(restoreUrlDecodedPlus(" 4581808888"), "+4581808888");
    assert.equal(restoreUrlDecodedPlus("+4581808888"), "+4581808888");
    assert.equal(restoreUrlDecodedPlus("4581808888"), "4581808888");
    assert.equal(restoreUrlDecodedPlus(" Voicemail"), " Voicemail");
  });

  it("accepts the seeds' numbers and 3 to 15 digits", () => {
    for (const ok of ["+1-555-123-4567", "+4581808888", "79678880033", "112", "+123456789012345", "(555) 123.4567"]) {
      assert.equal(isPhone(ok), true, ok);
    }
  });

  it("rejects too few or too many digits, letters and more than 30 characters", () => {
    for (const bad of ["", "12", "+1234567890123456", "555-CALL-NOW", "Voicemail", "1234567890 - - - - - - - - - - -", "+45\t81808888", "+45_8180"]) {
      assert.equal(isPhone(bad), false, bad);
    }
  });

  it("TelecomX shows numbers as + and digits", () => {
    assert.equal(toE164Display("4581808888"), "+4581808888");
  });
});
