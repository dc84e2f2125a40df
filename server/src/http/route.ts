/**
 * Routes declared once: the same zod schemas validate requests and generate the
 * OpenAPI 3.1 document, so the documentation cannot drift from what the server accepts.
 */
import type { Context, Hono } from "hono";
import { z } from "zod";
import type { Env } from "./env.ts";
import { problemResponse, zodIssues } from "./problem.ts";

type Method = "get" | "post" | "patch" | "put" | "delete";

export interface RouteSpec<B extends z.ZodType | undefined, Q extends z.ZodType | undefined> {
  method: Method;
  /** Hono path, e.g. "/api/v1/events/:id". */
  path: string;
  summary: string;
  tag: string;
  /** "account": a session or token is required; "identity": it also says which identity acts. */
  auth?: "none" | "account" | "identity";
  body?: B;
  query?: Q;
  /** Status → description of the answers this route gives. */
  responses: Record<number, string>;
}

export interface Input<B, Q> {
  body: B extends z.ZodType ? z.output<B> : undefined;
  query: Q extends z.ZodType ? z.output<Q> : undefined;
}

export type AnySpec = RouteSpec<z.ZodType | undefined, z.ZodType | undefined>;

export class Api {
  readonly routes: AnySpec[] = [];
  readonly #app: Hono<Env>;

  constructor(app: Hono<Env>) {
    this.#app = app;
  }

  route<B extends z.ZodType | undefined = undefined, Q extends z.ZodType | undefined = undefined>(
    spec: RouteSpec<B, Q>,
    handler: (c: Context<Env>, input: Input<B, Q>) => Response | Promise<Response>,
  ): void {
    this.routes.push(spec as AnySpec);
    this.#app.on(spec.method.toUpperCase(), spec.path, async (c) => {
      let query: unknown;
      if (spec.query) {
        const raw = c.req.query();
        const bad = badTextPath(raw);
        if (bad !== null) return problemResponse(400, "invalid query parameters", [bad]);
        const parsed = spec.query.safeParse(raw);
        if (!parsed.success)
          return problemResponse(400, "invalid query parameters", zodIssues(parsed.error));
        query = parsed.data;
      }
      let body: unknown;
      if (spec.body) {
        const type = c.req.header("content-type") ?? "";
        if (!/^application\/(.+\+)?json\b/i.test(type))
          return problemResponse(415, "send the body as application/json");
        let text: string;
        try {
          text = UTF8.decode(await c.req.arrayBuffer());
        } catch {
          return problemResponse(400, "the body is not valid UTF-8");
        }
        // JSON.parse copes with any depth, but every recursive walk after it would not.
        if (nestingExceeds(text, MAX_DEPTH))
          return problemResponse(400, `the body nests deeper than ${MAX_DEPTH} levels`);
        let raw: unknown;
        try {
          raw = JSON.parse(text);
        } catch {
          return problemResponse(400, "the body is not valid JSON");
        }
        const bad = badTextPath(raw);
        if (bad !== null) return problemResponse(422, "the request is not valid", [bad]);
        const parsed = spec.body.safeParse(raw);
        if (!parsed.success)
          return problemResponse(422, "the request is not valid", zodIssues(parsed.error));
        body = parsed.data;
      }
      return handler(c, { body, query } as Input<B, Q>);
    });
  }

  /** The OpenAPI 3.1 description of every registered route. */
  openapi(info: { title: string; version: string; description: string; server: string }): object {
    const paths: Record<string, Record<string, unknown>> = {};
    const problem = {
      "application/problem+json": { schema: { $ref: "#/components/schemas/Problem" } },
    };
    for (const r of this.routes) {
      const path = r.path.replace(/:([A-Za-z_]+)(\{[^}]*\})?/g, "{$1}");
      const params = [...r.path.matchAll(/:([A-Za-z_]+)/g)].map((m) => ({
        name: m[1],
        in: "path",
        required: true,
        schema: { type: "string" },
      }));
      const query = r.query ? jsonSchema(r.query) : null;
      const queryParams = query?.properties
        ? Object.entries(query.properties).map(([name, schema]) => ({
            name,
            in: "query",
            required: (query.required ?? []).includes(name),
            schema,
            ...(typeof (schema as { description?: string }).description === "string"
              ? { description: (schema as { description: string }).description }
              : {}),
          }))
        : [];
      const security =
        r.auth === "account" || r.auth === "identity"
          ? [{ bearer: [] }, { session: [] }]
          : undefined;
      const headers =
        r.auth === "identity"
          ? [
              {
                name: "Eventail-Identity",
                in: "header",
                required: false,
                description:
                  "Id of the identity that acts; may be omitted when the account has only one.",
                schema: { type: "string" },
              },
            ]
          : [];
      paths[path] ??= {};
      paths[path][r.method] = {
        summary: r.summary,
        tags: [r.tag],
        operationId: `${r.method}${path.replace(/[^A-Za-z0-9]+(.)?/g, (_, ch: string | undefined) => (ch ?? "").toUpperCase())}`,
        parameters: [...params, ...queryParams, ...headers],
        ...(security ? { security } : {}),
        ...(r.body
          ? {
              requestBody: {
                required: true,
                content: { "application/json": { schema: jsonSchema(r.body) } },
              },
            }
          : {}),
        responses: Object.fromEntries(
          Object.entries(r.responses).map(([status, description]) => [
            status,
            Number(status) >= 400 ? { description, content: problem } : { description },
          ]),
        ),
      };
    }
    return {
      openapi: "3.1.0",
      info: { title: info.title, version: info.version, description: info.description },
      servers: [{ url: info.server }],
      paths,
      components: {
        securitySchemes: {
          bearer: {
            type: "http",
            scheme: "bearer",
            description: "API token created at POST /api/v1/tokens",
          },
          session: { type: "apiKey", in: "cookie", name: "eventail_session" },
        },
        schemas: {
          Problem: {
            type: "object",
            description: "RFC 9457 problem details",
            required: ["type", "title", "status", "detail"],
            properties: {
              type: { type: "string" },
              title: { type: "string" },
              status: { type: "integer" },
              detail: { type: "string" },
              instance: { type: "string" },
              errors: {
                type: "array",
                items: {
                  type: "object",
                  properties: { path: { type: "string" }, message: { type: "string" } },
                },
              },
            },
          },
        },
      },
    };
  }
}

const UTF8 = new TextDecoder("utf-8", { fatal: true });
/** No request schema nests half as deep; the cap keeps recursive validation off the stack's edge. */
const MAX_DEPTH = 32;

/** Whether JSON `text` opens more than `max` arrays or objects inside one another. */
export function nestingExceeds(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (inString) {
      if (ch === 92)
        i++; // backslash: skip the escaped character
      else if (ch === 34) inString = false;
    } else if (ch === 34) inString = true;
    else if (ch === 91 || ch === 123) {
      if (++depth > max) return true;
    } else if (ch === 93 || ch === 125) depth--;
  }
  return false;
}

/** Why a string cannot be stored: U+0000 (PostgreSQL text cannot hold it), lone surrogates. */
function badText(s: string): string | null {
  if (s.includes("\0")) return "must not contain the NUL character (U+0000)";
  if (!s.isWellFormed()) return "must be well-formed Unicode (no lone surrogate)";
  return null;
}

/**
 * The first key or string in `value` that no field may hold, with its dotted path, or null:
 * refused at the edge rather than stored half-broken or failing in the database.
 */
export function badTextPath(
  value: unknown,
  path: string[] = [],
): { path: string; message: string } | null {
  if (typeof value === "string") {
    const message = badText(value);
    return message ? { path: path.join("."), message } : null;
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = badTextPath(value[i], [...path, String(i)]);
      if (found !== null) return found;
    }
    return null;
  }
  if (value && typeof value === "object") {
    for (const [key, v] of Object.entries(value)) {
      const message = badText(key);
      if (message) return { path: [...path, key.replace(/\0/g, "\\0")].join("."), message };
      const found = badTextPath(v, [...path, key]);
      if (found !== null) return found;
    }
  }
  return null;
}

function jsonSchema(schema: z.ZodType): {
  properties?: Record<string, unknown>;
  required?: string[];
} {
  const s = z.toJSONSchema(schema, {
    io: "input",
    unrepresentable: "any",
    target: "draft-2020-12",
  }) as Record<string, unknown>;
  delete s.$schema;
  return s as { properties?: Record<string, unknown>; required?: string[] };
}
