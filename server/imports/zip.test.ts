import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import yazl from "yazl";
import { inspectZip, openZipEntry } from "./zip.ts";

const LIMITS = { maxEntries: 5, maxUncompressedBytes: 10 * 1024 * 1024, maxRatio: 200 };

async function zipOf(entries: Array<[name: string, content: Buffer]>): Promise<Buffer> {
  const z = new yazl.ZipFile();
  for (const [name, content] of entries) z.addBuffer(content, name);
  z.end();
  const chunks: Buffer[] = [];
  for await (const c of z.outputStream) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

describe("zip checks", () => {
  let dir: string;
  const file = async (name: string, bytes: Buffer) => {
    const p = path.join(dir, name);
    await writeFile(p, bytes);
    return p;
  };
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "zipcheck-"));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("lists a plain archive and streams its entry", async () => {
    const p = await file("ok.zip", await zipOf([["dovuti.csv", Buffer.from("a;b\n1;2\n")]]));
    expect(await inspectZip(p, LIMITS)).toEqual([{ name: "dovuti.csv", uncompressedSize: 8 }]);
    const chunks: Buffer[] = [];
    for await (const c of await openZipEntry(p, "dovuti.csv", 100)) chunks.push(c as Buffer);
    expect(Buffer.concat(chunks).toString()).toBe("a;b\n1;2\n");
  });

  it("refuses a zip bomb: an entry inflating a thousandfold", async () => {
    const p = await file("bomb.zip", await zipOf([["zeros.csv", Buffer.alloc(8 * 1024 * 1024)]]));
    await expect(inspectZip(p, LIMITS)).rejects.toMatchObject({ code: "IMPORT_FILE_INVALID", message: /compressione/ });
  });

  it("refuses more declared bytes than allowed, and stops a stream past its limit", async () => {
    const p = await file("big.zip", await zipOf([["a.csv", Buffer.alloc(3000, "x")]]));
    await expect(inspectZip(p, { ...LIMITS, maxUncompressedBytes: 1000 })).rejects.toMatchObject({
      code: "IMPORT_FILE_INVALID",
    });
    const read = async () => {
      for await (const _ of await openZipEntry(p, "a.csv", 1000)) void _;
    };
    await expect(read()).rejects.toMatchObject({ code: "IMPORT_FILE_INVALID" });
  });

  it("refuses too many entries and names that climb out of the folder", async () => {
    const many = await file(
      "many.zip",
      await zipOf(Array.from({ length: 6 }, (_, i) => [`f${i}.csv`, Buffer.from("x")])),
    );
    await expect(inspectZip(many, LIMITS)).rejects.toMatchObject({ code: "IMPORT_FILE_INVALID" });
    // yazl refuses to write "../", so the name is patched in place (same length) in both headers.
    const bytes = await zipOf([["zz/evil.csv", Buffer.from("x")]]);
    const patched = Buffer.from(bytes.toString("latin1").replaceAll("zz/evil.csv", "../evil.csv"), "latin1");
    const traversal = await file("traversal.zip", patched);
    await expect(inspectZip(traversal, LIMITS)).rejects.toMatchObject({ code: "IMPORT_FILE_INVALID" });
  });

  it("refuses what is not a zip", async () => {
    const p = await file("not.zip", Buffer.from("PK nothing"));
    await expect(inspectZip(p, LIMITS)).rejects.toMatchObject({ code: "IMPORT_FILE_INVALID" });
  });
});
