/**
 * fast-check arbitraries for fuzzing the API: values shaped by a route's JSON Schema (so most
 * requests get past parsing into the handlers) mixed with hostile values at every leaf, and
 * raw number literals JSON.stringify cannot write (1e309, 2^64).
 */
import fc from "fast-check";

type Schema = Record<string, unknown>;

/** Marks a raw literal that `toBody` splices in without quotes. */
const RAW = "§raw§";

export const hostileString = fc.constantFrom(
  "",
  " ",
  "\u0000",
  "a\u0000b",
  "\uD800",
  "\uFEFF",
  "<script>alert(1)</script>",
  '"><img src=x onerror=alert(1)>',
  "javascript:alert(1)",
  "data:text/html,<script>alert(1)</script>",
  "x".repeat(5000),
  "💥".repeat(300),
  "Europe/Atlantis",
  "UTC+25",
  "+275760-09-13T00:00:00.000Z",
  "+275761-01-01T00:00:00Z",
  "-271821-04-19T00:00:00Z",
  "0000-00-00T00:00:00Z",
  "2026-02-30T25:61:00Z",
  "2026-13-01",
  "1e309",
  "NaN",
  "-0",
  "../../../etc/passwd",
  "%00",
  "%E0%A4%A",
  "' OR 1=1 --",
  "{{7*7}}",
  "http://169.254.169.254/latest",
  "file:///etc/passwd",
  "@",
  "@a@b@c",
  "a@",
);

const hostileNumber = fc.constantFrom(
  `${RAW}1e309`,
  `${RAW}-1e309`,
  `${RAW}18446744073709551616`,
  `${RAW}-9223372036854775809`,
  `${RAW}1e-400`,
  `${RAW}0.1e999999`,
  -1,
  0,
  2 ** 31,
  2 ** 53 + 2,
  Number.MAX_SAFE_INTEGER,
  -Number.MAX_SAFE_INTEGER,
  1.5,
);

export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  hostileString,
  hostileNumber,
  fc.constantFrom(null, true, false, [], {}, [[[[[]]]]], { __proto__: { admin: true } }),
  fc.jsonValue({ maxDepth: 3 }),
);

/** Values for `schema`, with a hostile value instead in about one leaf out of six. */
export function fromSchema(schema: Schema | boolean | undefined, depth = 0): fc.Arbitrary<unknown> {
  const shaped = shapedBy(schema, depth);
  return fc.oneof({ weight: 5, arbitrary: shaped }, { weight: 1, arbitrary: hostileValue });
}

function shapedBy(schema: Schema | boolean | undefined, depth: number): fc.Arbitrary<unknown> {
  if (!schema || schema === true || depth > 4) return fc.jsonValue({ maxDepth: 2 });
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return fc.constantFrom(...schema.enum);
  if ("const" in schema) return fc.constant(schema.const);
  const alternatives = (schema.anyOf ?? schema.oneOf) as Schema[] | undefined;
  if (alternatives?.length) return fc.oneof(...alternatives.map((s) => shapedBy(s, depth + 1)));
  const type = Array.isArray(schema.type) ? schema.type : [schema.type];
  return fc.oneof(...type.map((t) => ofType(t as string | undefined, schema, depth)));
}

function ofType(type: string | undefined, schema: Schema, depth: number): fc.Arbitrary<unknown> {
  switch (type) {
    case "string":
      return stringFor(schema);
    case "integer":
      return fc.oneof(
        fc.integer({
          min: Math.max(Number(schema.minimum ?? -1000), -(2 ** 31)),
          max: Math.min(Number(schema.maximum ?? 10_000), 2 ** 31),
        }),
        hostileNumber,
      );
    case "number":
      return fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), hostileNumber);
    case "boolean":
      return fc.boolean();
    case "null":
      return fc.constant(null);
    case "array":
      return fc.array(fromSchema(schema.items as Schema, depth + 1), { maxLength: 4 });
    case "object": {
      const props = (schema.properties ?? {}) as Record<string, Schema>;
      const keys = Object.keys(props);
      if (keys.length === 0) return fc.dictionary(fc.string({ maxLength: 8 }), hostileValue);
      const required = (schema.required ?? []) as string[];
      const record = fc.record(
        Object.fromEntries(keys.map((k) => [k, fromSchema(props[k], depth + 1)])),
        { requiredKeys: keys.filter((k) => required.includes(k)) },
      );
      // Now and then an unknown key too, which strict schemas must name.
      return fc.oneof(
        { weight: 6, arbitrary: record },
        {
          weight: 1,
          arbitrary: fc
            .tuple(record, fc.string({ minLength: 1, maxLength: 12 }), hostileValue)
            .map(([r, k, v]) => ({ ...(r as object), [k]: v })),
        },
      );
    }
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

function stringFor(schema: Schema): fc.Arbitrary<string> {
  const max = typeof schema.maxLength === "number" ? Math.min(schema.maxLength + 2, 3000) : 60;
  switch (schema.format) {
    case "date-time":
      return fc.oneof(
        fc
          .date({ min: new Date("1900-01-01"), max: new Date("2200-01-01"), noInvalidDate: true })
          .map((d) => d.toISOString()),
        hostileString,
      );
    case "email":
      return fc.emailAddress();
    case "uri":
    case "url":
      return fc.oneof(fc.webUrl(), hostileString);
    default:
      return fc.oneof(
        fc.string({ maxLength: max }),
        fc.string({ maxLength: 20, unit: "grapheme" }),
        fc.constantFrom("Europe/Paris", "America/New_York", "UTC", "en", "fr", "public"),
      );
  }
}

/** JSON text for `value`, with the raw number markers spliced in unquoted. */
export function toBody(value: unknown): string {
  return JSON.stringify(value).replace(
    new RegExp(`"${RAW}([^"]*)"`, "g"),
    (_m, literal: string) => literal,
  );
}
