// The server accepts exactly what the contract states, field by field, read off the generated
// catalog (packages/contracts/src/generated/status200/catalog.ts) with no field list written here:
// every writable field at each of its bounds (accepted, and read back as stored) and one step
// beyond (400 in Status200's error format, nothing written), on create and on update; and every
// catalog field in select, query and sort, with an unknown name a 400.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, it } from "@jest/globals";
import { status200Catalog, type CatalogField, type CatalogResource } from "@commlog/contracts";
import { testEngines } from "./support/databases.js";
import { startHarness, type Harness } from "./support/harness.js";

type Mode = "create" | "update";
interface Probe {
  what: string;
  value: unknown;
  /** Accepted probes: the value read back (ids lowercased, dates in UTC with milliseconds). */
  stored?: unknown;
  accepted: boolean;
}

const ITEM: CatalogResource = status200Catalog.IncomingCallLogItem;
const PATHS: Record<keyof typeof status200Catalog, string> = {
  SmsLog: "/api/sms-log",
  IncomingCallLog: "/api/incoming-call-log",
  IncomingCallLogItem: "/api/incoming-call-log-item",
};

/** The ids a write must name (the key's project, a call of it): facts of this test's world, by relation. */
interface World {
  project: string;
  incomingCallLog: string;
}

/** An ordinary valid value of a field (the stated bounds permitting). */
function ordinary(f: CatalogField, world: World): unknown {
  switch (f.kind) {
    case "uuid":
      return f.relation && f.relation in world ? world[f.relation as keyof World] : randomUUID();
    case "date":
      return "2026-01-01T10:00:00.000Z";
    case "text":
      return "Ringing".slice(0, f.maxLength ?? 7);
    case "phone":
      return "+4581808888";
    case "integer":
      return f.minimum !== undefined ? f.minimum + 1 : 7;
    case "boolean":
      return !(f.default ?? false);
  }
}

const matches = (f: CatalogField, s: string) => f.pattern === undefined || new RegExp(f.pattern, "u").test(s);

/** Each stated bound of a field, at the edge and one step beyond, and its kind and nullability. */
function probes(f: CatalogField, world: World): Probe[] {
  const out: Probe[] = [];
  const edge = (what: string, value: unknown, stored: unknown = value) => out.push({ what, value, stored, accepted: true });
  const beyond = (what: string, value: unknown) => out.push({ what, value, accepted: false });
  if (f.kind === "text") {
    const text = (n: number) => {
      const s = "x".repeat(n);
      // An edge value fits everything but the bound it tests (an empty string need not fit `\S`).
      if (n >= (f.minLength ?? 0)) assert.ok(matches(f, s), `${f.name}: the edge value must fit the pattern`);
      return s;
    };
    if (f.minLength !== undefined) {
      edge(`${f.minLength} characters (minLength)`, text(f.minLength));
      if (f.minLength > 0) beyond(`${f.minLength - 1} characters`, text(f.minLength - 1));
    }
    if (f.maxLength !== undefined) {
      edge(`${f.maxLength} characters (maxLength)`, text(f.maxLength));
      beyond(`${f.maxLength + 1} characters`, text(f.maxLength + 1));
    }
    // Inside the lengths but outside the pattern (the item status must not be only whitespace).
    for (const s of [" ", "   ", "\t", " \n "]) {
      if (s.length >= (f.minLength ?? 0) && s.length <= (f.maxLength ?? Infinity) && !matches(f, s)) beyond(`${JSON.stringify(s)} (pattern ${f.pattern})`, s);
    }
    beyond("a number", 42);
  } else if (f.kind === "phone") {
    assert.ok(f.maxLength !== undefined, `${f.name}: phones state a maxLength`);
    const phone = "+45 81 80 88 88".padEnd(f.maxLength, "-");
    assert.ok(matches(f, phone), `${f.name}: the edge value must fit the pattern`);
    edge(`${f.maxLength} characters (maxLength)`, phone);
    beyond(`${f.maxLength + 1} characters`, `${phone}-`);
    beyond("no phone number", "call me");
  } else if (f.kind === "integer") {
    if (f.minimum !== undefined) {
      edge(`${f.minimum} (minimum)`, f.minimum);
      beyond(`${f.minimum - 1}`, f.minimum - 1);
    }
    if (f.maximum !== undefined) {
      edge(`${f.maximum} (maximum)`, f.maximum);
      beyond(`${f.maximum + 1}`, f.maximum + 1);
    }
    beyond("a fraction", 1.5);
    beyond("a numeric string", "10");
  } else if (f.kind === "uuid") {
    const id = ordinary(f, world) as string;
    edge("a uuid in upper case", id.toUpperCase(), id.toLowerCase());
    beyond("no uuid", "42");
  } else if (f.kind === "date") {
    edge("a timestamp with an offset", "2026-01-01T10:00:00.5+01:00", "2026-01-01T09:00:00.500Z");
    beyond("no timestamp", "soon");
  } else {
    edge("true", true);
    edge("false", false);
    beyond("a string", "yes");
  }
  if (f.nullable) edge("null", null);
  else beyond("null", null);
  return out;
}

for (const engine of testEngines()) {
  (engine.skip ? describe.skip : describe)(`${engine.name}: the server accepts what the contract states, read off the catalog`, () => {
    let h: Harness;
    let key: string;
    let world: World;
    const api = (method: "post" | "put", path: string) => h.http[method](path).set("ApiKey", key);
    const writable = (mode: Mode) => ITEM.fields.filter((f) => f.writable.includes(mode));
    /** The least create: every required field with an ordinary value. */
    const minimal = () => Object.fromEntries(writable("create").filter((f) => f.required).map((f) => [f.name, ordinary(f, world)]));
    const count = async () => (await api("post", `${PATHS.IncomingCallLogItem}/count`).send({})).body.count as number;
    const readField = async (id: string, name: string) => {
      const response = await api("post", `${PATHS.IncomingCallLogItem}/${id}/get-item`).send({ select: { [name]: true, updatedAt: true } });
      assert.equal(response.status, 200, JSON.stringify(response.body));
      return { value: response.body[name] as unknown, updatedAt: response.body.updatedAt as string };
    };
    const create = async (data: object) => {
      const response = await api("post", PATHS.IncomingCallLogItem).send({ data });
      assert.equal(response.status, 200, JSON.stringify(response.body));
      return response.body._id as string;
    };
    /** A 400 in Status200's error format naming the field; `{error, code}` and nothing else. */
    const assertRefused = (response: { status: number; body: Record<string, unknown> }, path: string) => {
      assert.equal(response.status, 400, JSON.stringify(response.body));
      assert.deepEqual(Object.keys(response.body).filter((k) => k !== "error" && k !== "code"), []);
      assert.equal(typeof response.body.error, "string");
      assert.match(response.body.error as string, new RegExp(`${path.replace(/[.$]/g, "\\$&")}\\b`));
    };

    beforeAll(async () => {
      h = await startHarness(engine);
      const project = (await h.createProject())._id;
      key = await h.createKey({ projectId: project, permissions: ["ProjectAdmin"] });
      const call = (await h.internal("post", "/internal/v1/incoming-call-logs", { projectId: project, callerPhoneNumber: "+4581808888" })).body._id as string;
      world = { project, incomingCallLog: call };
    });
    afterAll(() => h?.close());

    it("the catalog has writable fields of every bound the test walks", () => {
      const fields = writable("create");
      assert.ok(fields.some((f) => f.maxLength !== undefined) && fields.some((f) => f.maximum !== undefined) && fields.some((f) => f.nullable) && fields.some((f) => f.required));
    });

    for (const f of writable("create")) {
      it(`create: ${f.name} at its bounds is stored as given, one beyond is a 400 and writes nothing`, async () => {
        for (const p of probes(f, world)) {
          const data = { ...minimal(), [f.name]: p.value };
          if (p.accepted) {
            const id = await create(data);
            assert.deepEqual((await readField(id, f.name)).value, p.stored, `${f.name} = ${p.what}`);
          } else {
            const before = await count();
            assertRefused(await api("post", PATHS.IncomingCallLogItem).send({ data }), `data.${f.name}`);
            assert.equal(await count(), before, `${f.name} = ${p.what}: nothing written`);
          }
        }
      });
    }

    it("create: a required field left out is a 400; a field with a default is filled with it", async () => {
      for (const f of writable("create").filter((x) => x.required)) {
        const { [f.name]: _left, ...data } = minimal();
        assertRefused(await api("post", PATHS.IncomingCallLogItem).send({ data }), `data.${f.name}`);
      }
      const id = await create(minimal());
      for (const f of writable("create").filter((x) => x.default !== undefined)) {
        assert.deepEqual((await readField(id, f.name)).value, f.default, `${f.name} defaults to ${String(f.default)}`);
      }
    });

    for (const f of writable("update")) {
      it(`update: ${f.name} at its bounds is stored as given, one beyond is a 400 and changes nothing`, async () => {
        const id = await create({ ...minimal(), [f.name]: ordinary(f, world) });
        for (const p of probes(f, world)) {
          const before = await readField(id, f.name);
          const response = await api("put", `${PATHS.IncomingCallLogItem}/${id}`).send({ data: { [f.name]: p.value } });
          if (p.accepted) {
            assert.equal(response.status, 200, `${f.name} = ${p.what}: ${JSON.stringify(response.body)}`);
            assert.deepEqual(response.body, {});
            assert.deepEqual((await readField(id, f.name)).value, p.stored, `${f.name} = ${p.what}`);
          } else {
            assertRefused(response, `data.${f.name}`);
            assert.deepEqual(await readField(id, f.name), before, `${f.name} = ${p.what}: nothing changed`);
          }
        }
      });
    }

    it("update: a field the contract does not let update change is a 400 naming it", async () => {
      const id = await create(minimal());
      for (const f of ITEM.fields.filter((x) => !x.writable.includes("update"))) {
        const response = await api("put", `${PATHS.IncomingCallLogItem}/${id}`).send({ data: { [f.name]: ordinary(f, world) } });
        assertRefused(response, `data.${f.name}`);
      }
    });

    for (const [resource, path] of Object.entries(PATHS) as Array<[keyof typeof status200Catalog, string]>) {
      const fields: readonly CatalogField[] = status200Catalog[resource].fields;
      const names = fields.flatMap((f) => (f.relation ? [f.name, f.relation] : [f.name]));

      it(`${resource}: every field and relation alias may be selected; an unknown name is a 400`, async () => {
        for (const f of fields) {
          for (const name of f.relation ? [f.name, f.relation] : [f.name]) {
            const response = await api("post", `${path}/get-list`).send({ select: { [name]: true } });
            assert.equal(response.status, f.selectable ? 200 : 400, `select ${name}: ${JSON.stringify(response.body)}`);
          }
        }
        assertRefused(await api("post", `${path}/get-list`).send({ select: { noSuchField: true } }), "select.noSuchField");
      });

      it(`${resource}: every field and relation alias may be filtered with a value of its kind; an unknown name is a 400`, async () => {
        for (const f of fields) {
          for (const name of f.relation ? [f.name, f.relation] : [f.name]) {
            for (const op of ["get-list", "count"]) {
              const response = await api("post", `${path}/${op}`).send({ query: { [name]: ordinary(f, world) } });
              assert.equal(response.status, f.filterable ? 200 : 400, `${op} query ${name}: ${JSON.stringify(response.body)}`);
            }
          }
        }
        assertRefused(await api("post", `${path}/count`).send({ query: { noSuchField: "x" } }), "query.noSuchField");
      });

      it(`${resource}: exactly the sortable fields sort (relation aliases never); an unknown name is a 400`, async () => {
        for (const name of names) {
          const f = fields.find((x) => x.name === name);
          const response = await api("post", `${path}/get-list`).send({ sort: { [name]: "ASC" } });
          if (f?.sortable) assert.equal(response.status, 200, `sort ${name}: ${JSON.stringify(response.body)}`);
          else assertRefused(response, `sort.${name}`);
        }
        assertRefused(await api("post", `${path}/get-list`).send({ sort: { noSuchField: "ASC" } }), "sort.noSuchField");
      });
    }
  });
}
