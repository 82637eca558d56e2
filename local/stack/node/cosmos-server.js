// Starts the Cosmos DB stand-in with keep-alive (its CLI closes every connection: ~60 ms a call).
// Usage: node cosmos-server.js PORT
const { createHttpsServer } = require("@vercel/cosmosdb-server");

const port = Number.parseInt(process.argv[2], 10);
const server = createHttpsServer({ keepAlive: true }).listen(port, "127.0.0.1", () => {
  console.log(`cosmos stand-in ready at https://127.0.0.1:${server.address().port}/`);
});
for (const signal of ["SIGTERM", "SIGINT"]) {
  process.on(signal, () => server.close(() => process.exit(0)));
}
