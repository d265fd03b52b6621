import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { createServer, type Server } from "node:http";
import { afterAll, beforeAll, describe, it } from "@jest/globals";
import { dialects, loadOpenApiDocument } from "@commlog/contracts/documents";
import { chromium, type Browser } from "playwright-core";
import { testEngines } from "./support/databases.js";
import { startHarness, type Harness } from "./support/harness.js";

// Debian's chromium (installed by .ci/run); never a test tool's own browser download.
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const skip = !existsSync(CHROMIUM) && process.env.CI !== "true" ? `no browser at ${CHROMIUM}` : undefined;

(skip ? describe.skip : describe)("the API reference pages in headless Chromium", () => {
  let h: Harness;
  let server: Server;
  let browser: Browser;
  let origin: string;
  beforeAll(async () => {
    h = await startHarness(testEngines()[0]!);
    server = createServer(h.app).listen(0, "127.0.0.1");
    await new Promise((resolve) => server.once("listening", resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    });
  });
  afterAll(async () => {
    await browser?.close();
    server?.close();
    await h?.close();
  });

  it("links every dialect's reference from /", async () => {
    const page = await browser.newPage();
    await page.goto(`${origin}/`);
    const links = await page.locator("a").evaluateAll((anchors) => anchors.map((a) => a.getAttribute("href")));
    for (const dialect of dialects) assert.ok(links.includes(`/docs/${dialect}`), dialect);
    await page.close();
  });

  for (const dialect of dialects) {
    it(`renders every ${dialect} operation, and no request leaves localhost`, async () => {
      const page = await browser.newPage();
      const requested: string[] = [];
      page.on("request", (request) => requested.push(request.url()));
      await page.goto(`${origin}/docs/${dialect}`);
      await page.locator(".opblock").first().waitFor({ timeout: 20_000 });
      const rendered = await page.locator(".opblock-summary-path").allTextContents();
      const paths = Object.keys(loadOpenApiDocument(dialect).paths);
      for (const path of paths) {
        assert.ok(rendered.some((text) => text.replace(/\u200b/g, "").includes(path)), `${path} is not shown`);
      }
      const external = requested.filter((url) => !url.startsWith(origin) && !url.startsWith("data:"));
      assert.deepEqual(external, []);
      await page.close();
    });
  }
});
