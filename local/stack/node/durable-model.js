// Durable storage for @vercel/cosmosdb-server 1.0.1, which keeps its model only in memory.
//
// Every change to the model goes through two methods of its `Items` base class: `_set` (create,
// replace, upsert, patch; of a database, container, item or UDF) and `delete`. Both are wrapped to
// append the stored record (with its _rid, _etag and _ts) or the removal to a journal, and the model
// is rebuilt from the journal when the server creates its account. A record's `_self`
// (/dbs/<rid>/colls/<rid>/docs/<rid>/) says where it belongs. Partition key ranges are derived from
// their container and not recorded.
"use strict";
const Account = require("@vercel/cosmosdb-server/lib/account").default;
const Items = require("@vercel/cosmosdb-server/lib/account/items").default;
const PartitionKeyRanges = require("@vercel/cosmosdb-server/lib/account/partition-key-ranges").default;
const UserDefinedFunctions = require("@vercel/cosmosdb-server/lib/account/user-defined-functions").default;
const { Journal } = require("./journal");

const CHILDREN = { colls: "collections", docs: "documents", udfs: "userDefinedFunctions" };

let journal = null; // set while changes are being recorded, not while they are replayed

const set = Items.prototype._set;
Items.prototype._set = function recordSet(data) {
  const stored = set.call(this, data);
  if (journal && !(this instanceof PartitionKeyRanges)) {
    // `n` restores the counter the next _rid is made from.
    journal.append({ put: stored, n: this._ridCount });
  }
  return stored;
};

const remove = Items.prototype.delete;
Items.prototype.delete = function recordDelete(idOrRid, partition) {
  const stored = this._item("/id", idOrRid, partition).read();
  const result = remove.call(this, idOrRid, partition);
  if (journal && !(this instanceof PartitionKeyRanges)) {
    journal.append({ del: stored._self });
  }
  return result;
};

// The collection (`Items`) a `_self` path belongs in, and the record's _rid in it.
function locate(account, self) {
  const parts = self.split("/").filter(Boolean);
  let items = account.databases;
  for (let i = 1; i < parts.length - 1; i += 2) {
    const parent = items._data.get(parts[i]);
    if (!parent) {
      throw new Error(`the journal names ${self} but ${parts.slice(0, i + 1).join("/")} does not exist`);
    }
    items = parent[CHILDREN[parts[i + 1]]];
  }
  return [items, parts[parts.length - 1]];
}

function replay(account, record) {
  if (record.del !== undefined) {
    const [items, rid] = locate(account, record.del);
    if (items._data.has(rid)) items.delete(rid, undefined);
    return;
  }
  const [items] = locate(account, record.put._self);
  items._set(record.put);
  items._ridCount = Math.max(items._ridCount, record.n);
  if (items instanceof UserDefinedFunctions) {
    // As the package compiles a UDF on create.
    items.functions[record.put.id] = new Function(`"use strict";return (${record.put.body})`)();
  }
}

// The records that rebuild the whole model, parents first.
function snapshot(account) {
  const records = [];
  const add = items => {
    for (const entry of items._data.values()) {
      records.push({ put: entry.read(), n: items._ridCount });
      for (const children of [entry.collections, entry.userDefinedFunctions, entry.documents]) {
        if (children) add(children);
      }
    }
  };
  add(account.databases);
  return records;
}

// Makes the server's account durable in the journal `file`; returns the journal. `onReady(account)`
// runs once the account is rebuilt, before the server answers its first request.
function keepOnDisk(file, onReady) {
  let account = null;
  const durable = new Journal(file, () => snapshot(account));
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
