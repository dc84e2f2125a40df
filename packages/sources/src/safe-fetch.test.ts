import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FetchFailure, safeFetch } from "./safe-fetch.ts";

let server: Server;
let origin: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === "/hello") return res.end("hello");
    if (req.url === "/gzip")
      return res.writeHead(200, { "content-encoding": "gzip" }).end(gzipSync("x".repeat(10_000)));
    if (req.url === "/big") return res.end("y".repeat(200_000));
    if (req.url === "/bomb")
      return res
        .writeHead(200, { "content-encoding": "gzip" })
        .end(gzipSync("z".repeat(2_000_000)));
    if (req.url === "/slow") return; // never answers
    if (req.url === "/loop") return res.writeHead(302, { location: "/loop" }).end();
    if (req.url === "/to-file") return res.writeHead(302, { location: "file:///etc/passwd" }).end();
    if (req.url === "/moved") return res.writeHead(301, { location: "/hello" }).end();
    res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.closeAllConnections();
  server.close();
});

const local = { allowPrivateNetwork: true };

describe("safeFetch", () => {
  it("refuses loopback and private targets unless allowed, by literal IP and by name", async () => {
    await expect(safeFetch(`${origin}/hello`)).rejects.toThrow(/private or loopback/);
    const byName = origin.replace("127.0.0.1", "localhost");
    await expect(safeFetch(`${byName}/hello`)).rejects.toThrow(/private or loopback/);
    await expect(safeFetch("http://[::1]/")).rejects.toThrow(/private or loopback/);
    expect((await safeFetch(`${origin}/hello`, local)).body).toBe("hello");
  });

  it("refuses other schemes and URLs with credentials", async () => {
    await expect(safeFetch("file:///etc/passwd")).rejects.toThrow(/only http and https/);
    await expect(safeFetch("ftp://example.org/x")).rejects.toThrow(/only http and https/);
    await expect(safeFetch("http://user:pw@example.org/")).rejects.toThrow(/credentials/);
  });

  it("follows redirects, re-checking each target, and stops loops", async () => {
    expect((await safeFetch(`${origin}/moved`, local)).body).toBe("hello");
    await expect(safeFetch(`${origin}/to-file`, local)).rejects.toThrow(/only http and https/);
    await expect(safeFetch(`${origin}/loop`, local)).rejects.toThrow(/redirects/);
  });

  it("decompresses, and enforces the size limit after decompression", async () => {
    expect((await safeFetch(`${origin}/gzip`, local)).body).toHaveLength(10_000);
    await expect(safeFetch(`${origin}/big`, { ...local, maxBytes: 100_000 })).rejects.toThrow(
      /exceeds/,
    );
    const bomb = safeFetch(`${origin}/bomb`, { ...local, maxBytes: 1_000_000 });
    await expect(bomb).rejects.toBeInstanceOf(FetchFailure);
  });

  it("gives up after the timeout", async () => {
    const started = Date.now();
    await expect(safeFetch(`${origin}/slow`, { ...local, timeoutMs: 300 })).rejects.toThrow(
      /time limit/,
    );
    expect(Date.now() - started).toBeLessThan(3000);
  });
});
