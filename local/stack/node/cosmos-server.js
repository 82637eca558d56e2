// Starts the Cosmos DB stand-in: durable in DATA_DIR, with item time to live, and keep-alive (its CLI
// closes every connection: ~60 ms a call).
// Usage: node cosmos-server.js PORT DATA_DIR
"use strict";
const path = require("path");
const { createHttpsServer } = require("@vercel/cosmosdb-server");
const { keepOnDisk } = require("./durable-model");
const { expireItems } = require("./ttl");

const port = Number.parseInt(process.argv[2], 10);
const dataDir = process.argv[3];
if (!Number.isInteger(port) || !dataDir) {
  console.error("usage: node cosmos-server.js PORT DATA_DIR");
  process.exit(2);
}

// Rewritten from the live state past this size (and at each start); a setting for tests.
const compactAfterBytes = Number(process.env.COSMOS_JOURNAL_COMPACT_BYTES) || 64 * 1024 * 1024;
const journal = keepOnDisk(path.join(dataDir, "journal.jsonl"), compactAfterBytes, expireItems);
const server = createHttpsServer({ keepAlive: true });
// The durability point: a response leaves only once every change made before it is on disk, so
// whatever a client has seen survives a crash.
server.prependListener("request", (request, response) => {
  const end = response.end;
  response.end = (...args) => {
    journal.whenDurable(() => end.apply(response, args));
    return response;
  };
});
server.listen(port, "127.0.0.1", () => {
  console.log(`cosmos stand-in ready at https://127.0.0.1:${server.address().port}/ (data in ${dataDir})`);
});
for (const signal of ["SIGTERM", "SIGINT"]) {
  process.on(signal, () => server.close(() => process.exit(0)));
}
