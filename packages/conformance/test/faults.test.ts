import assert from "node:assert/strict";
import { afterAll, beforeAll, describe, it } from "@jest/globals";
import { runCli } from "./support/cli.js";
import { badInputFaults, faults, startFaultProxy } from "./support/fault-proxy.js";
import { adminToken, startServer, type RunningServer } from "./support/server.js";

/** A suite that passes a broken server is a defect: each broken variant must be reported, by scenario. */
describe("the suite catches broken servers", () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(async () => server?.stop());

  for (const fault of faults) {
    it(`reports ${fault.name}`, async () => {
      const proxy = await startFaultProxy(server.url, fault);
      try {
        const { code, stdout } = await runCli(["--base-url", proxy.url, "--admin-token", adminToken, "--fuzz-cases", "100"]);
        assert.equal(code, 1, `the suite passed a broken server:\n${stdout.slice(-3000)}`);
        assert.ok(stdout.includes(`✘ [`) && stdout.includes(fault.mustFail), `expected the failure of "${fault.mustFail}" in:\n${stdout.slice(-5000)}`);
      } finally {
        await proxy.stop();
      }
    });
  }

  // SPEC §10's bad-input classes: the fuzzer must name the class's scenario and the case.
  for (const fault of badInputFaults) {
    it(`reports ${fault.name}`, async () => {
      const proxy = await startFaultProxy(server.url, fault);
      try {
        const { code, stdout } = await runCli(["--base-url", proxy.url, "--admin-token", adminToken, "--dialect", fault.dialect, "--fuzz-cases", "100"]);
        assert.equal(code, 1, `the suite passed a broken server:\n${stdout.slice(-3000)}`);
        assert.ok(stdout.includes(`✘ ${fault.mustFail}`), `expected the failure of "${fault.mustFail}" in:\n${stdout.slice(-5000)}`);
        assert.match(stdout, fault.mustMatch, stdout.slice(-5000));
      } finally {
        await proxy.stop();
      }
    });
  }

  it("reports an invalid request the server accepts (fuzzing): a 400 turned into 200", async () => {
    const proxy = await startFaultProxy(server.url, {
      name: "accepts invalid Exolve input",
      response: (ctx, res) => {
        if (ctx.url.startsWith("/messaging") && res.status === 400) {
          res.status = 200;
          res.json = { count: "0" };
        }
      },
    });
    try {
      const { code, stdout } = await runCli(["--base-url", proxy.url, "--admin-token", adminToken, "--dialect", "exolve", "--fuzz-cases", "200"]);
      assert.equal(code, 1);
      assert.ok(stdout.includes("✘ [exolve] fuzz › Messages_getCount"), stdout.slice(-3000));
      assert.match(stdout, /case \d+ \[[^\]]+\] POST \/messaging\/v1\/GetCount .*: an invalid request answered 200/);
    } finally {
      await proxy.stop();
    }
  });
});
