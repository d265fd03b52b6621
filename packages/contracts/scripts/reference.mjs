// The reference-page side of the emitted documents, applied by generate.mjs after `tsp compile`:
// - info.version is the contracts package's version;
// - every operation's description ends with "Who may call it", written from its `x-commlog-access`
//   rule in the words of the TypeSpec doc comments of the AccessRule models and of the
//   Status200Permission / AccessLevel members (specs/common/permissions.tsp), with identifiers;
// - each error response gets the dialect's real error body for its status as its example (the
//   service namespace's `x-commlog-error-examples`, consumed and removed here);
// - the write routes of read-only resources ("not via API") move to their own tag, marked as
//   answering 405;
// - every operation must have a summary, and no text may cite an internal document (the product
//   spec, the repository's copies of the vendor documents).
import { getDoc } from "@typespec/compiler";

const methods = ["get", "put", "post", "delete", "patch", "head", "options"];

/** The words for every access rule form and every permission and access level, from the TypeSpec program of specs/common. */
export function accessVocabulary(program) {
  const find = (name) => program.resolveTypeReference(`Commlog.Common.${name}`)[0];
  const memberDocs = (name) => Object.fromEntries([...find(name).members.values()].map((m) => [m.name, getDoc(program, m) ?? m.name]));
  const forms = [...find("AccessRule").variants.values()].map((variant) => ({
    doc: getDoc(program, variant.type) ?? variant.type.name,
    properties: [...variant.type.properties.values()].map((p) => ({ name: p.name, literal: "value" in p.type ? p.type.value : undefined })),
  }));
  return { forms, permissions: memberDocs("Status200Permission"), accessLevels: memberDocs("AccessLevel") };
}

/** The Markdown "Who may call it" section of one rule. */
export function whoMayCallIt(access, vocabulary) {
  const form = vocabulary.forms.find(
    (f) =>
      f.properties.length === Object.keys(access).length &&
      f.properties.every((p) => p.name in access && (p.literal === undefined || access[p.name] === p.literal)),
  );
  if (!form) throw new Error(`no AccessRule form fits ${JSON.stringify(access)}`);
  const list = (ids, words) => ids.map((id) => `- \`${id}\`: ${words[id]}`).join("\n");
  const items = access.anyOf ? list(access.anyOf, vocabulary.permissions) : access.accessLevels ? list(access.accessLevels, vocabulary.accessLevels) : "";
  const credential = { ApiKey: "header `ApiKey: <key>`", Bearer: "header `Authorization: Bearer <key>`", AdminToken: "header `Authorization: Bearer <admin token>`" }[access.scheme];
  return `**Who may call it** (${credential}): ${form.doc}${items ? `\n\n${items}` : ""}`;
}

function* operations(document) {
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of methods) if (item[method]) yield { path, method, operation: item[method] };
  }
}

function errorExamples(document) {
  const examples = document["x-commlog-error-examples"];
  if (!examples) throw new Error(`${document.info.title}: the service declares no x-commlog-error-examples`);
  delete document["x-commlog-error-examples"];
  return examples;
}

/** The tag of a read-only resource's write routes. */
export const writeRoutesTag = (tag) => `${tag}: write routes (answer 405)`;

export function documentForReference(document, { version, vocabulary }) {
  document.info.version = version;
  const examples = errorExamples(document);
  const readOnlyTags = new Set();
  for (const { path, method, operation } of operations(document)) {
    const where = `${method.toUpperCase()} ${path}`;
    if (!operation.summary) throw new Error(`${where} has no @summary`);
    const access = operation["x-commlog-access"];
    operation.description = `${operation.description ?? operation.summary}\n\n${whoMayCallIt(access, vocabulary)}`;
    for (const [status, response] of Object.entries(operation.responses)) {
      const content = response.content?.["application/json"];
      if (!status.startsWith("2") && content && !content.examples && !content.example) {
        if (!examples[status]) throw new Error(`${where}: no x-commlog-error-examples entry for ${status}`);
        content.examples = { [status]: { summary: `${status}: the error body`, value: examples[status] } };
      }
    }
    if (access.notViaApi) {
      operation.tags = (operation.tags ?? []).map((tag) => (readOnlyTags.add(tag), writeRoutesTag(tag)));
    }
  }
  if (readOnlyTags.size) {
    const tags = [];
    for (const tag of document.tags ?? []) {
      tags.push(tag);
      if (readOnlyTags.has(tag.name)) {
        tags.push({
          name: writeRoutesTag(tag.name),
          description: `${tag.name} is read-only: these routes exist as in the vendor's API, but every one answers 405 (with an \`Allow\` header) once the key is authenticated.`,
        });
      }
    }
    document.tags = tags;
  }
  // users see neither the product spec nor the repository's copies of the vendor documents ("seed 000")
  const cited = JSON.stringify(document).match(/.{0,60}(SPEC §|\bseeds? \d{3}).{0,20}/i);
  if (cited) throw new Error(`${document.info.title} cites an internal document: …${cited[0]}… (write the decision out instead)`);
  return document;
}
