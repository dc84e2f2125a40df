/** Image uploads (banners). The alt text is given when the image is attached to an event. */
import { DomainError } from "@eventail/core";
import { requireAccount } from "../auth.ts";
import type { Api } from "../route.ts";

export function mediaRoutes(api: Api): void {
  api.route(
    {
      method: "post",
      path: "/api/v1/media",
      summary: "Upload an image (multipart/form-data, field `file`; JPEG, PNG, GIF or WebP)",
      tag: "media",
      auth: "account",
      responses: {
        201: "Stored: { id, url, mediaType, width, height }",
        413: "Too large",
        415: "Not a supported image",
        422: "No file",
      },
    },
    async (c) => {
      const s = c.get("services");
      const account = requireAccount(c);
      if (!/^multipart\/form-data/i.test(c.req.header("content-type") ?? ""))
        throw new DomainError(
          "unsupported_media_type",
          "send the image as multipart/form-data with a field named file",
        );
      const form = await c.req.formData().catch(() => null);
      const file = form?.get("file");
      if (!file || typeof file === "string")
        throw new DomainError("validation", "no file", [{ path: "file", message: "is required" }]);
      const saved = await s.media.save(account.id, new Uint8Array(await file.arrayBuffer()));
      return c.json(
        {
          id: saved.id,
          url: `${s.config.origin}/media/${saved.file}`,
          mediaType: saved.mediaType,
          width: saved.width,
          height: saved.height,
          size: saved.size,
        },
        201,
      );
    },
  );
}
