// Cosmos DB time to live, which @vercel/cosmosdb-server 1.0.1 lacks.
//
// As in Cosmos DB: in a container with `defaultTtl` an item expires `ttl` seconds after its last
// write (`_ts`), its own `ttl` overriding the container's; -1 means never (a container with
// `defaultTtl: -1` keeps items without a `ttl` of their own). Without `defaultTtl` item `ttl`s are
// ignored. Expired items are deleted (from the journal too) whenever a request looks up their
// container, before it reads anything, and by a sweep every second. Unlike Cosmos DB a `ttl` of 0
// or a non-integer is not refused: it never expires.
"use strict";
const Database = require("@vercel/cosmosdb-server/lib/account/database").default;
const Documents = require("@vercel/cosmosdb-server/lib/account/documents").default;
const Items = require("@vercel/cosmosdb-server/lib/account/items").default;

const SWEEP_MS = 1000;

// The second an item expires at, or undefined.
function expiry(documents, item) {
  const { defaultTtl } = documents._parent.read() || {};
  if (!Number.isInteger(defaultTtl)) return undefined;
  const ttl = Number.isInteger(item.ttl) ? item.ttl : defaultTtl;
  return ttl > 0 ? item._ts + ttl : undefined;
}

// Each container's expiring items: _rid -> expiry, kept beside its items.
Documents.prototype._set = function trackExpiry(data) {
  const stored = Items.prototype._set.call(this, data);
  const at = expiry(this, stored);
  if (at !== undefined) {
    (this._expiries ??= new Map()).set(stored._rid, at);
  } else {
    this._expiries?.delete(stored._rid);
  }
  return stored;
};

Documents.prototype.delete = function untrackExpiry(idOrRid, partition) {
  const stored = this._item("/id", idOrRid, partition).read();
  const result = Items.prototype.delete.call(this, idOrRid, partition);
  this._expiries?.delete(stored._rid);
  return result;
};

function purgeExpired(documents) {
  if (!documents._expiries) return;
  const now = Date.now() / 1000;
  for (const [rid, at] of documents._expiries) {
    if (now >= at) documents.delete(rid, undefined);
  }
}

// Every request on items finds their container through `database.collection(id)`.
const collection = Database.prototype.collection;
Database.prototype.collection = function collectionWithoutExpired(idOrRid) {
  const found = collection.call(this, idOrRid);
  purgeExpired(found.documents);
  return found;
};

function sweep(account) {
  for (const database of account.databases._data.values()) {
    for (const container of database.collections._data.values()) purgeExpired(container.documents);
  }
}

// Purges what expired while the server was down, then every second.
function expireItems(account) {
  sweep(account);
  setInterval(() => sweep(account), SWEEP_MS).unref();
}

module.exports = { expireItems };
