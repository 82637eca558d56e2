// Durable storage for @vercel/cosmosdb-server 1.0.1, which keeps its model only in memory.
//
// Every change to the model goes through two methods of its `Items` base class: `_set` (create,
// replace, upsert, patch; of a database, container, item or UDF) and `delete`. Both are wrapped to
// append the stored record (with its _rid, _etag and _ts) or the removal to a journal, and the model
// is rebuilt from the journal when the server creates its account. A record names its kind; its
// _rid says which database and container it belongs in (the package's ResourceId encoding).
// Partition key ranges are derived from their container and not recorded.
"use strict";
const Account = require("@vercel/cosmosdb-server/lib/account").default;
const Collections = require("@vercel/cosmosdb-server/lib/account/collections").default;
const Databases = require("@vercel/cosmosdb-server/lib/account/databases").default;
const Documents = require("@vercel/cosmosdb-server/lib/account/documents").default;
const Items = require("@vercel/cosmosdb-server/lib/account/items").default;
const ResourceId = require("@vercel/cosmosdb-server/lib/account/resource-id").default;
const UserDefinedFunctions = require("@vercel/cosmosdb-server/lib/account/user-defined-functions").default;
const { Journal } = require("./journal");

const KINDS = new Map([[Databases, "dbs"], [Collections, "colls"], [Documents, "docs"], [UserDefinedFunctions, "udfs"]]);

let journal = null; // set while changes are being recorded, not while they are replayed

const set = Items.prototype._set;
Items.prototype._set = function recordSet(data) {
  const stored = set.call(this, data);
  const kind = KINDS.get(this.constructor);
  if (journal && kind) {
    // `n` restores the counter the next _rid is made from.
    journal.append({ kind, put: stored, n: this._ridCount });
  }
  return stored;
};

const remove = Items.prototype.delete;
Items.prototype.delete = function recordDelete(idOrRid, partition) {
  const stored = this._item("/id", idOrRid, partition).read();
  const result = remove.call(this, idOrRid, partition);
  const kind = KINDS.get(this.constructor);
  if (journal && kind) {
    journal.append({ kind, del: stored._rid });
  }
  return result;
};

// The `Items` a record of this kind and _rid belongs in (or, for a counter, the `Items` of this kind
// under the parent with this _rid).
function itemsOf(account, kind, rid) {
  if (kind === "dbs") return account.databases;
  const id = ResourceId.parse(rid);
  const database = account.databases._data.get(id.getDatabaseId().toString());
  if (kind === "colls" && database) return database.collections;
  const container = database?.collections._data.get(id.getDocumentCollectionId().toString());
  if (!container) throw new Error(`the journal names ${kind} ${rid}, whose parent does not exist`);
  return kind === "docs" ? container.documents : container.userDefinedFunctions;
}

function replay(account, record) {
  if (record.count !== undefined) {
    const items = itemsOf(account, record.kind, record.in);
    items._ridCount = Math.max(items._ridCount, record.count);
    return;
  }
  if (record.del !== undefined) {
    const items = itemsOf(account, record.kind, record.del);
    if (items._data.has(record.del)) items.delete(record.del, undefined);
    return;
  }
  const items = itemsOf(account, record.kind, record.put._rid);
  items._set(record.put);
  items._ridCount = Math.max(items._ridCount, record.n);
  if (items instanceof UserDefinedFunctions) {
    // As the package compiles a UDF on create.
    items.functions[record.put.id] = new Function(`"use strict";return (${record.put.body})`)();
  }
}

// The records that rebuild the whole model, parents first. Each `Items` also gets its _rid counter,
// so that no _rid is given twice even after all its items are gone.
function snapshot(account) {
  const records = [];
  const add = (items, parentRid) => {
    const kind = KINDS.get(items.constructor);
    records.push({ kind, count: items._ridCount, in: parentRid });
    for (const entry of items._data.values()) {
      const stored = entry.read();
      records.push({ kind, put: stored, n: items._ridCount });
      for (const children of [entry.collections, entry.userDefinedFunctions, entry.documents]) {
        if (children) add(children, stored._rid);
      }
    }
  };
  add(account.databases, undefined);
  return records;
}

// Makes the server's account durable in the journal `file`; returns the journal. `onReady(account)`
// runs once the account is rebuilt, before the server answers its first request.
function keepOnDisk(file, compactAfterBytes, onReady) {
  let account = null;
  const durable = new Journal(file, () => snapshot(account), compactAfterBytes);
  const accountModule = require("@vercel/cosmosdb-server/lib/account");
  // The server creates its one account when it starts listening, through this export.
  accountModule.default = class DurableAccount extends Account {
    constructor(host, port) {
      super(host, port);
      account = this;
      durable.open(record => replay(this, record));
      journal = durable;
      onReady(this);
    }
  };
  return durable;
}

module.exports = { keepOnDisk };
