// A TypeScript SDK server (the @modelcontextprotocol/sdk that server-everything depends on), for what
// server-everything cannot be told to do: bind one address (HOST) and check the Host header through the
// transport's own `allowedHosts` (ALLOWED_HOSTS, comma-separated, compared with the port:
// sdk dist/cjs/server/webStandardStreamableHttp.js answers 403 "Invalid Host header: NAME:PORT").
// Stateless streamable HTTP at /mcp, one tool. Needs NODE_PATH=/node/node_modules.
const express = require("express");
const { McpServer } = require("@modelcontextprotocol/sdk/server/mcp.js");
const { StreamableHTTPServerTransport } = require("@modelcontextprotocol/sdk/server/streamableHttp.js");

const host = process.env.HOST || "0.0.0.0";
const port = Number(process.env.PORT || 3001);
const allowed = (process.env.ALLOWED_HOSTS || "").split(",").filter(Boolean);

const app = express();
app.use(express.json());
app.post("/mcp", async (req, res) => {
  const server = new McpServer({ name: "lab-ts", version: "1.0.0" });
  server.registerTool("echo", { description: "Say it back." }, async () => ({ content: [{ type: "text", text: "echo" }] }));
  const transport = new StreamableHTTPServerTransport({
    sessionIdGenerator: undefined,
    enableDnsRebindingProtection: allowed.length > 0,
    allowedHosts: allowed.length > 0 ? allowed : undefined,
  });
  res.on("close", () => { transport.close(); server.close(); });
  await server.connect(transport);
  await transport.handleRequest(req, res, req.body);
});
// As the SDK's stateless example does: no stream to GET, no session to DELETE.
const notAllowed = (req, res) => res.status(405).set("Allow", "POST").json({
  jsonrpc: "2.0", error: { code: -32000, message: "Method not allowed." }, id: null,
});
app.get("/mcp", notAllowed);
app.delete("/mcp", notAllowed);
app.listen(port, host, () => console.log(`lab-ts listening on ${host}:${port}`));
