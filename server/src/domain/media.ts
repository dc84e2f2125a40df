/**
 * Uploaded images (event banners). The type is read from the file's magic bytes, never
 * trusted from the client; only raster formats browsers show are kept (no SVG: it can
 * carry script).
 */
import { mkdirSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { type Banner, DomainError, invalid } from "@eventail/core";
import type { Repos } from "../storage/index.ts";
import { newId } from "./secrets.ts";

export interface ImageInfo {
  mediaType: "image/jpeg" | "image/png" | "image/gif" | "image/webp";
  ext: string;
  width: number | null;
  height: number | null;
}

/** Recognises JPEG, PNG, GIF and WebP and reads their pixel size. */
export function sniffImage(b: Uint8Array): ImageInfo | null {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const at = (i: number, ...bytes: number[]) => bytes.every((x, k) => b[i + k] === x);
  if (b.length > 24 && at(0, 0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) {
    return {
      mediaType: "image/png",
      ext: "png",
      width: dv.getUint32(16),
      height: dv.getUint32(20),
    };
  }
  if (b.length > 10 && at(0, 0x47, 0x49, 0x46, 0x38)) {
    return {
      mediaType: "image/gif",
      ext: "gif",
      width: dv.getUint16(6, true),
      height: dv.getUint16(8, true),
    };
  }
  if (b.length > 30 && at(0, 0x52, 0x49, 0x46, 0x46) && at(8, 0x57, 0x45, 0x42, 0x50)) {
    let width: number | null = null;
    let height: number | null = null;
    if (at(12, 0x56, 0x50, 0x38, 0x20)) {
      width = dv.getUint16(26, true) & 0x3fff;
      height = dv.getUint16(28, true) & 0x3fff;
    } else if (at(12, 0x56, 0x50, 0x38, 0x4c)) {
      const bits = dv.getUint32(21, true);
      width = (bits & 0x3fff) + 1;
      height = ((bits >> 14) & 0x3fff) + 1;
    } else if (at(12, 0x56, 0x50, 0x38, 0x58)) {
      width = 1 + (b[24]! | (b[25]! << 8) | (b[26]! << 16));
      height = 1 + (b[27]! | (b[28]! << 8) | (b[29]! << 16));
    }
    return { mediaType: "image/webp", ext: "webp", width, height };
  }
  if (b.length > 4 && at(0, 0xff, 0xd8, 0xff)) {
    // Walk the JPEG segments to the first start-of-frame marker.
    let i = 2;
    while (i + 9 < b.length) {
      if (b[i] !== 0xff) return { mediaType: "image/jpeg", ext: "jpg", width: null, height: null };
      const marker = b[i + 1]!;
      const len = dv.getUint16(i + 2);
      if (
        marker >= 0xc0 &&
        marker <= 0xcf &&
        marker !== 0xc4 &&
        marker !== 0xc8 &&
        marker !== 0xcc
      ) {
        return {
          mediaType: "image/jpeg",
          ext: "jpg",
          height: dv.getUint16(i + 5),
          width: dv.getUint16(i + 7),
        };
      }
      i += 2 + len;
    }
    return { mediaType: "image/jpeg", ext: "jpg", width: null, height: null };
  }
  return null;
}

export class MediaStore {
  readonly #repos: Repos;
  readonly dir: string;
  readonly maxBytes: number;

  constructor(repos: Repos, dir: string, maxBytes: number) {
    this.#repos = repos;
    this.dir = dir;
    this.maxBytes = maxBytes;
  }

  async save(accountId: string, bytes: Uint8Array) {
    if (bytes.length > this.maxBytes)
      throw new DomainError(
        "payload_too_large",
        `images may be at most ${Math.floor(this.maxBytes / 1024)} KiB`,
      );
    const info = sniffImage(bytes);
    if (!info)
      throw new DomainError("unsupported_media_type", "upload a JPEG, PNG, GIF or WebP image");
    if (info.width !== null && (info.width > 10_000 || (info.height ?? 0) > 10_000))
      throw new DomainError("validation", "images may be at most 10000 pixels wide and high", [
        { path: "file", message: "is too large in pixels" },
      ]);
    mkdirSync(this.dir, { recursive: true });
    const id = newId();
    const file = `${id}.${info.ext}`;
    await writeFile(join(this.dir, file), bytes, { flag: "wx" });
    await this.#repos.uploads.insert({
      id,
      account_id: accountId,
      file,
      media_type: info.mediaType,
      size: bytes.length,
      width: info.width,
      height: info.height,
      created_at: Date.now(),
    });
    return {
      id,
      file,
      mediaType: info.mediaType,
      width: info.width,
      height: info.height,
      size: bytes.length,
    };
  }

  /** Bytes and type of a stored file; null for names that are not ours. */
  async read(file: string): Promise<{ bytes: Buffer; mediaType: string } | null> {
    if (!/^[a-z0-9]{16}\.(jpg|png|gif|webp)$/.test(file)) return null;
    const row = await this.#repos.uploads.byFile(file);
    if (!row) return null;
    try {
      return { bytes: await readFile(join(this.dir, file)), mediaType: row.media_type };
    } catch {
      return null;
    }
  }
}

/** An uploaded image to attach, as the upload endpoint named it; no upload: describe the current one. */
export interface ImageInput {
  uploadId?: string | undefined;
  alt: string;
}

/**
 * The image to store on an event or a profile from `input` (null: none): a new upload of
 * `accountId` (only the account that uploaded an image may attach it), or, without
 * `uploadId`, the `current` image with a new description. `path` names the field in errors.
 */
export async function attachImage(
  repos: Repos,
  accountId: string,
  input: ImageInput | null,
  path: string,
  current: Banner | null,
): Promise<Banner | null> {
  if (!input) return null;
  if (!input.uploadId) {
    if (!current)
      throw invalid("no image to describe", [
        { path: `${path}.uploadId`, message: "is required: there is no image yet" },
      ]);
    return { ...current, alt: input.alt };
  }
  const upload = await repos.uploads.get(input.uploadId);
  if (!upload || upload.account_id !== accountId)
    throw invalid("unknown upload", [
      { path: `${path}.uploadId`, message: "no such upload of yours" },
    ]);
  return {
    path: `/media/${upload.file}`,
    alt: input.alt,
    mediaType: upload.media_type,
    ...(upload.width ? { width: upload.width, height: upload.height ?? undefined } : {}),
  };
}
