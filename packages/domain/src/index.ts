// @commlog/domain: the rules the contract cannot state, grouped by who they serve. Vocabularies,
// field catalogs and bounds are the contract's (@commlog/contracts); these modules decide.
export * from "./common/errors.js"; // DomainError: a status, a stable code, a message naming the field
export * from "./common/wire-values.js"; // reading ids, timestamps and typed wrappers off the wire
export * from "./common/phone-number.js"; // what a phone number is and its digits-only form
export * from "./access/permissions.js"; // what a key's permissions and access level allow
export * from "./ledger/status-mapping.js"; // delivery, billing, Status200 and Exolve statuses onto each other
export * from "./status200/resources.js"; // the Status200 resources, read from the generated catalog
export * from "./status200/query-language.js"; // select, query, sort, pagination of get-list/count
export * from "./status200/item-writes.js"; // create/update data of Incoming Call Log Item
export * from "./telecomx/visibility.js"; // which fields and months an access level sees
export * from "./exolve/get-count-request.js"; // the Exolve GetCount body
