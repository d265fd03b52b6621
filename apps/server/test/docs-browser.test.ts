import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { createServer, type Server } from "node:http";
import { afterAll, beforeAll, describe, it } from "@jest/globals";
import { dialects, loadOpenApiDocument, type Dialect } from "@commlog/contracts/documents";
import { chromium, type Browser, type Page } from "playwright-core";
import { testEngines } from "./support/databases.js";
import { ADMIN_TOKEN, startHarness, type Harness } from "./support/harness.js";

// Debian's chromium (installed by .ci/run); never a test tool's own browser download.
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const skip = !existsSync(CHROMIUM) && process.env.CI !== "true" ? `no browser at ${CHROMIUM}` : undefined;

const methods = ["get", "put", "post", "delete", "patch"] as const;

interface Operation {
  method: string;
  path: string;
  operationId: string;
  summary: string;
  description: string;
  access: { anyOf?: string[]; accessLevels?: string[]; notViaApi?: boolean };
  unsafe: boolean;
  tag: string;
  exampleBody?: unknown;
  /** The example body of each error status. */
  errorExamples: Record<string, unknown>;
}

function operationsOf(dialect: Dialect): Operation[] {
  const document = loadOpenApiDocument(dialect) as unknown as { paths: Record<string, Record<string, any>> };
  return Object.entries(document.paths).flatMap(([path, item]) =>
    methods
      .filter((method) => item[method])
      .map((method) => {
        const op = item[method];
        const examples = op.requestBody?.content?.["application/json"]?.examples;
        return {
          method,
          path,
          operationId: op.operationId,
          summary: op.summary,
          description: op.description,
          access: op["x-commlog-access"],
          unsafe: op["x-commlog-unsafe"] === true,
          tag: op.tags?.[0] ?? "default",
          exampleBody: examples ? Object.values<{ value: unknown }>(examples)[0]!.value : undefined,
          errorExamples: Object.fromEntries(
            Object.entries<any>(op.responses)
              .filter(([status]) => !status.startsWith("2"))
              .map(([status, response]) => [status, Object.values<{ value: unknown }>(response.content?.["application/json"]?.examples ?? {})[0]?.value]),
          ),
        };
      }),
  );
}

/**
 * The reads: a GET that is not the unsafe GET twin of a write, and the POST reads (get-list,
 * get-item, count, GetCount), which the summaries name "List…", "Get…" or "Count…".
 */
const isRead = (op: Operation) => !op.access.notViaApi && ((op.method === "get" && !op.unsafe) || /^(List|Get|Count)\b/.test(op.summary));

(skip ? describe.skip : describe)("the API reference pages in headless Chromium", () => {
  let h: Harness;
  let server: Server;
  let browser: Browser;
  let origin: string;
  let key: string;
  /** An existing object per path parameter route, for the get-item reads. */
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    h = await startHarness(testEngines()[0]!);
    // Demo-like data: a reseller with a customer, a key of every read grant, SMS, a call with items.
    const reseller = await h.createReseller("Demo reseller");
    const project = await h.createProject({ resellerId: reseller._id, name: "Demo customer" });
    key = await h.createKey({ projectId: project._id, permissions: ["ProjectOwner"], accessLevel: "OWNER" });
    const sms = await h.ingest(
      ["Delivered", "Sent", "Failed"].map((status, i) => ({
        projectId: project._id,
        toNumber: `+4581808${880 + i}`,
        senderName: "Voicemail",
        smsText: `Demo message ${i}`,
        status,
        smsCostInUSDCents: 75,
        providerExternalId: `demo-${i}`,
      })),
    );
    ids["/api/sms-log/{id}"] = sms[0]!._id;
    const call = await h.internal("post", "/internal/v1/incoming-call-logs", { projectId: project._id, callerPhoneNumber: "+4581808888" });
    assert.equal(call.status, 200, JSON.stringify(call.body));
    ids["/api/incoming-call-log/{id}"] = call.body._id;
    const item = await h.http
      .post("/api/incoming-call-log-item")
      .set("ApiKey", key)
      .send({ data: { incomingCallLogId: call.body._id, projectId: project._id, status: "Example status", isAnswered: true } });
    assert.equal(item.status, 200, JSON.stringify(item.body));
    ids["/api/incoming-call-log-item/{id}"] = item.body._id;

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

  async function open(dialect: Dialect): Promise<{ page: Page; requested: string[] }> {
    const page = await browser.newPage();
    const requested: string[] = [];
    page.on("request", (request) => requested.push(request.url()));
    await page.goto(`${origin}/docs/${dialect}`);
    await page.locator(".opblock").first().waitFor({ timeout: 20_000 });
    return { page, requested };
  }

  /** Enters the credential in swagger-ui's Authorize dialog, as a user does. */
  async function authorize(page: Page, credential: string) {
    await page.locator(".auth-wrapper .authorize").click();
    const dialog = page.locator(".modal-ux");
    await dialog.locator("input").first().fill(credential);
    await dialog.locator(".auth-btn-wrapper .authorize").click();
    await dialog.locator(".btn-done").click();
  }

  const block = (page: Page, op: Operation) => page.locator(`.opblock[id$="-${op.operationId}"]`);

  it("links every dialect's reference from /", async () => {
    const page = await browser.newPage();
    await page.goto(`${origin}/`);
    const links = await page.locator("a").evaluateAll((anchors) => anchors.map((a) => a.getAttribute("href")));
    for (const dialect of dialects) assert.ok(links.includes(`/docs/${dialect}`), dialect);
    await page.close();
  });

  for (const dialect of dialects) {
    it(`${dialect}: shows the package version, cites no internal document, and no request leaves localhost`, async () => {
      const { page, requested } = await open(dialect);
      const document = loadOpenApiDocument(dialect) as unknown as { info: { version: string } };
      assert.equal((await page.locator(".info .version").first().textContent())?.trim(), document.info.version);
      assert.notEqual(document.info.version, "0.0.0");
      assert.doesNotMatch(await page.locator("#swagger-ui").innerText(), /SPEC §|\bseeds? \d{3}/i);
      assert.ok(!(await page.locator(".opblock-tag", { hasText: /^default$/ }).count()), "an operation without a tag");
      const external = requested.filter((url) => !url.startsWith(origin) && !url.startsWith("data:"));
      assert.deepEqual(external, []);
      await page.close();
    });

    // one test per tag: swagger-ui resolves an operation's schemas when it is opened, seconds each for the query language
    const tags = [...new Set(operationsOf(dialect).map((op) => op.tag))];
    it.each(tags)(`${dialect} %s: every operation shows its summary, who may call it in words and by identifier, and the real error body per status`, async (tag) => {
      const { page } = await open(dialect);
      for (const op of operationsOf(dialect).filter((o) => o.tag === tag)) {
        const opBlock = block(page, op);
        assert.equal(await opBlock.count(), 1, `${op.operationId} is not shown`);
        await opBlock.locator(".opblock-summary-control").click();
        await opBlock.locator(".responses-table").first().waitFor();
        // what the page shows, read in one pass (one round trip per operation)
        const shown = await opBlock.evaluate((el: any) => ({
          summary: el.querySelector(".opblock-summary-description")?.textContent.trim(),
          path: el.querySelector(".opblock-summary-path")?.textContent.replace(/\u200b/g, ""),
          description: el.querySelector(".opblock-description")?.innerText.replace(/\s+/g, " ") ?? "",
          tag: el.closest(".opblock-tag-section")?.querySelector(".opblock-tag")?.textContent ?? "",
          examples: Object.fromEntries(
            [...el.querySelectorAll(".responses-table tr.response[data-code]")].map((row: any) => [row.getAttribute("data-code"), row.querySelector(".highlight-code")?.textContent ?? null]),
          ),
        }));
        assert.equal(shown.summary, op.summary);
        assert.ok(shown.path?.includes(op.path), `${op.operationId}: path ${shown.path}`);
        assert.match(shown.description, /Who may call it/, op.operationId);
        for (const id of op.access.anyOf ?? op.access.accessLevels ?? []) assert.ok(shown.description.includes(id), `${op.operationId}: ${id} not named`);
        if (op.access.notViaApi) {
          assert.match(shown.description, /405/);
          assert.match(shown.tag, /answer 405/);
        }
        // Every error status shows the dialect's real body for that status, not one generated from the schema.
        assert.ok(Object.keys(op.errorExamples).length > 0, `${op.operationId}: no error status`);
        for (const [status, example] of Object.entries(op.errorExamples)) {
          assert.ok(example, `${op.operationId} ${status}: no example`);
          assert.deepEqual(JSON.parse(shown.examples[status] ?? "null"), example, `${op.operationId} ${status}`);
        }
        await opBlock.locator(".opblock-summary-control").click();
      }
      await page.close();
    });

    it(`${dialect}: "Try it out" with the example answers 2xx for every read operation`, async () => {
      const reads = operationsOf(dialect).filter(isRead);
      assert.ok(reads.length > 0);
      const { page } = await open(dialect);
      await authorize(page, dialect === "internal" ? ADMIN_TOKEN : key);
      for (const op of reads) {
        const opBlock = block(page, op);
        await opBlock.locator(".opblock-summary-control").click();
        await opBlock.locator(".try-out__btn").click();
        if (op.exampleBody !== undefined) {
          // the request example is the prefilled body
          const body = JSON.parse(await opBlock.locator(".body-param__text").inputValue());
          assert.deepEqual(body, op.exampleBody, `${op.operationId}: the body is not its example`);
        }
        const idInput = opBlock.locator('tr[data-param-name="id"] input');
        if (await idInput.count()) {
          const id = Object.entries(ids).find(([prefix]) => op.path.startsWith(prefix))?.[1];
          assert.ok(id, `${op.operationId}: no demo object`);
          await idInput.fill(id);
        }
        await opBlock.locator(".execute").click();
        const status = opBlock.locator(".live-responses-table tbody .response-col_status").first();
        await status.waitFor({ timeout: 20_000 });
        const code = (await status.textContent())?.trim() ?? "";
        const answer = await opBlock.locator(".live-responses-table tbody .response-col_description").first().innerText();
        assert.match(code, /^2\d\d/, `${dialect} ${op.method.toUpperCase()} ${op.path}: ${code} ${answer.slice(0, 300)}`);
        await opBlock.locator(".opblock-summary-control").click();
      }
      await page.close();
    });
  }

  it("labels the Status200 query language with the schemas it is made of, not `any`", async () => {
    const { page } = await open("status200");
    const model = page.locator("section.models .json-schema-2020-12-head", { has: page.locator(".json-schema-2020-12__title", { hasText: /^UuidFilter$/ }) });
    // the schema list is virtualised: scroll until the model is rendered
    for (let i = 0; i < 300 && !(await model.count()); i++) {
      await page.evaluate('document.querySelector("section.models .models-scroll").scrollTop += 300; window.scrollTo(0, document.body.scrollHeight)');
      await page.waitForTimeout(20);
    }
    const label = await model.locator(".json-schema-2020-12__attribute--primary").first().textContent();
    assert.match(label ?? "", /^\(UuidValue \| array<UuidValue> \| EqualToUuidValue \| NotEqualUuidValue \|/);
    await model.locator(".json-schema-2020-12-accordion").click();
    // expanded, the branches are resolved: still named, not `(string | object)`
    assert.doesNotMatch(await model.locator("xpath=..").innerText(), /\bany\b|string \| object/);
    await page.close();
  });
});
