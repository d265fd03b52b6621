import type { HttpRequest, HttpResponse } from "./http.js";

// Status200 is the only dialect whose reads select fields (TelecomX's fields follow the key's level
// and `names`, which the visibility scenarios check; Exolve and the internal API select nothing).
// The OpenAPI document cannot say which of a row's optional fields must be there, so every
// successful get-list and get-item answer is checked here against the request's own `select`.

const isPlainObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

/** The request body as the server parsed it, or undefined when there is none (or it is no JSON object). */
function bodyOf(req: HttpRequest): unknown {
  if (req.rawBody === undefined) return req.body;
  try {
    return JSON.parse(req.rawBody);
  } catch {
    return undefined;
  }
}

/**
 * The keys every returned object must carry, exactly: `_id`, and each select entry that is `true`
 * or (a relation in the object form) an object; `false` selects nothing (SPEC §4, §10).
 * `objects` are the relations selected in the object form: their value is `{"_id": …}` or null.
 */
export function selectedKeys(select: unknown): { keys: Set<string>; objects: Set<string> } {
  const keys = new Set(["_id"]);
  const objects = new Set<string>();
  if (isPlainObject(select)) {
    for (const [key, value] of Object.entries(select)) {
      if (value === true) keys.add(key);
      else if (isPlainObject(value)) {
        keys.add(key);
        objects.add(key);
      }
    }
  }
  return { keys, objects };
}

/** Problems of one returned object against the selection. */
function objectProblems(at: string, object: unknown, wanted: ReturnType<typeof selectedKeys>): string[] {
  if (!isPlainObject(object)) return [`${at}: expected an object, got ${JSON.stringify(object)?.slice(0, 80)}`];
  const problems: string[] = [];
  const missing = [...wanted.keys].filter((k) => !Object.hasOwn(object, k));
  const extra = Object.keys(object).filter((k) => !wanted.keys.has(k));
  if (missing.length) problems.push(`${at}: selected field(s) missing: ${missing.join(", ")}`);
  if (extra.length) problems.push(`${at}: field(s) not selected: ${extra.join(", ")}`);
  for (const key of wanted.objects) {
    const v = object[key];
    if (v !== undefined && v !== null && !(isPlainObject(v) && Object.keys(v).length === 1 && typeof v._id === "string")) {
      problems.push(`${at}.${key}: a relation selected as an object must be {"_id": …} or null, got ${JSON.stringify(v)?.slice(0, 80)}`);
    }
  }
  return problems;
}

/**
 * For a 200 answer of a Status200 get-list or get-item: every returned object carries exactly the
 * selected fields (present, null where the row has no value, and nothing more). Empty for any other
 * request.
 */
export function selectionProblems(req: HttpRequest, res: HttpResponse): string[] {
  if (res.status !== 200 || !res.isJson) return [];
  const path = req.path.split("?")[0]!;
  const list = /^\/api\/[a-z-]+\/get-list$/.test(path);
  const item = /^\/api\/[a-z-]+\/[^/]+\/get-item$/.test(path);
  if (!list && !item) return [];
  const body = bodyOf(req);
  const wanted = selectedKeys(isPlainObject(body) ? body.select : undefined);
  if (item) return objectProblems("the object", res.json, wanted);
  const data = isPlainObject(res.json) ? res.json.data : undefined;
  if (!Array.isArray(data)) return [];
  // One line per kind of mismatch, naming the first row that has it (a page repeats the same fault).
  const seen = new Map<string, string>();
  data.forEach((row, i) => {
    for (const p of objectProblems(`data[${i}]`, row, wanted)) {
      const kind = p.replace(/^data\[\d+\]/, "");
      if (!seen.has(kind)) seen.set(kind, p);
    }
  });
  return [...seen.values()];
}
