/**
 * Every outbound fetch refuses private, loopback, link-local, CGNAT and translated addresses
 * and non-http schemes: the federation's (Fedify's document loader validates each URL, on
 * every redirect hop, with `validatePublicUrl`) and the static-site importers' (our
 * `isPrivateAddress`). One table for both, so neither can lag the other. IP literals only:
 * nothing here resolves a name or leaves the machine.
 */
import { isPrivateAddress } from "@eventail/sources";
import { validatePublicUrl } from "@fedify/vocab-runtime";
import { describe, expect, it } from "vitest";

const REFUSED: [string, string][] = [
  ["http://10.1.2.3/", "private 10/8"],
  ["http://172.16.0.1/", "private 172.16/12"],
  ["http://172.31.255.254/", "private 172.16/12, last"],
  ["http://192.168.1.1/", "private 192.168/16"],
  ["http://127.0.0.1/", "loopback"],
  ["http://127.8.9.10/", "loopback 127/8"],
  ["http://[::1]/", "IPv6 loopback"],
  ["http://169.254.169.254/", "link-local: cloud metadata"],
  ["http://[fe80::1]/", "IPv6 link-local"],
  ["http://100.64.0.1/", "CGNAT 100.64/10"],
  ["http://100.127.255.254/", "CGNAT, last"],
  ["http://[::ffff:127.0.0.1]/", "IPv4-mapped loopback"],
  ["http://[::ffff:a00:1]/", "IPv4-mapped private"],
  ["http://[64:ff9b::7f00:1]/", "NAT64-translated loopback"],
  ["http://[64:ff9b::a9fe:a9fe]/", "NAT64-translated metadata"],
  ["http://[2002:7f00:1::]/", "6to4 of loopback"],
  ["http://0.0.0.0/", "this network"],
  ["http://[::]/", "IPv6 unspecified"],
  ["http://[fc00::1]/", "IPv6 unique local"],
  ["http://2130706433/", "loopback as one decimal number"],
  ["http://0x7f.1/", "loopback in hex shorthand"],
  ["http://017700000001/", "loopback in octal"],
];
const SCHEMES = ["file:///etc/passwd", "data:text/plain,hi", "gopher://x/", "ftp://x/"];
const PUBLIC = ["http://93.184.216.34/", "https://[2606:4700::1111]/"];

async function fedifyAllows(url: string): Promise<boolean> {
  try {
    await validatePublicUrl(url);
    return true;
  } catch {
    return false;
  }
}

describe("outbound fetch guard", () => {
  it.each(REFUSED)("refuses %s (%s) in federation and imports", async (url) => {
    expect(await fedifyAllows(url)).toBe(false);
    // The URL parser normalizes 0x7f.1 and friends to dotted IPv4, as fetch would.
    const host = new URL(url).hostname.replace(/^\[|\]$/g, "");
    expect(isPrivateAddress(host)).toBe(true);
  });

  it.each(SCHEMES)("refuses the scheme of %s", async (url) => {
    expect(await fedifyAllows(url)).toBe(false);
  });

  it("refuses localhost by name without resolving it", async () => {
    expect(await fedifyAllows("http://localhost/")).toBe(false);
    expect(await fedifyAllows("http://LOCALHOST./")).toBe(false);
  });

  it.each(PUBLIC)("lets %s through (a public address)", async (url) => {
    expect(await fedifyAllows(url)).toBe(true);
    expect(isPrivateAddress(new URL(url).hostname.replace(/^\[|\]$/g, ""))).toBe(false);
  });
});
