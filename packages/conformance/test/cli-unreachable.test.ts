import assert from "node:assert/strict";
import { createServer, type AddressInfo } from "node:net";
import { describe, it } from "@jest/globals";
import { runCli } from "./support/cli.js";

/** A port that was free a moment ago and on which nothing listens now. */
async function closedPort(): Promise<number> {
  const probe = createServer().listen(0, "127.0.0.1");
  await new Promise((resolve) => probe.once("listening", resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

describe("the CLI against a deployment it cannot reach", () => {
  it("names the URL and the cause in one line and exits 1", async () => {
    const port = await closedPort();
    const url = `http://127.0.0.1:${port}`;
    const { code, stdout, stderr } = await runCli(["--base-url", url, "--admin-token", "x".repeat(40), "--fuzz-cases", "0"]);
    assert.equal(code, 1, stdout + stderr);
    assert.equal(stderr, `cannot reach ${url}: connect ECONNREFUSED 127.0.0.1:${port}\n`);
    assert.doesNotMatch(stdout + stderr, /fetch failed/);
  });

  it("names a host that does not resolve", async () => {
    const { code, stderr } = await runCli(["--base-url", "http://commlog.invalid", "--project-key", "a", "--other-project-key", "b"]);
    assert.equal(code, 1);
    assert.match(stderr, /^cannot reach http:\/\/commlog\.invalid: getaddrinfo (ENOTFOUND|EAI_AGAIN) commlog\.invalid\n$/);
  });
});
