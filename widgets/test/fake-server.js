/**
 * A loopback stand-in for the parts of an Eventail server the RSVP and follow tests need,
 * answering exactly as docs/rsvp-api.md says (the real server's RSVP endpoints are issue
 * #4), plus a WebFinger endpoint standing for a visitor's fediverse instance.
 *
 * Each event id selects one outcome; every request is recorded at GET /__requests.
 */
import { createServer } from "node:http";

const problem = (status, detail, extra = {}) => ({
  status,
  type: "application/problem+json",
  body: { type: "about:blank", title: "Problem", status, detail, ...extra },
});
const ok = (status, body) => ({ status, type: "application/json", body });

const rsvp = {
  "ev-ok": () =>
    ok(202, { state: "awaiting_email", message: "Check your email", remainingCapacity: 5 }),
  "ev-full": () =>
    ok(202, { state: "awaiting_email", message: "Check your email", remainingCapacity: 0 }),
  "ev-dup": () =>
    ok(200, {
      state: "confirmed",
      duplicate: true,
      message: "Already registered",
      remainingCapacity: 4,
    }),
  "ev-closed": () => problem(409, "RSVPs are closed for this event"),
  "ev-external": () =>
    problem(409, "registration happens elsewhere", {
      externalUrl: "https://tickets.example.org/e/1",
    }),
  "ev-invite": () => problem(403, "this event is by invitation only"),
  "ev-invalid": () =>
    problem(422, "the request is not valid", {
      errors: [
        { path: "email", message: "must be a deliverable email address" },
        { path: "name", message: "is too short" },
      ],
    }),
  "ev-limited": () => ({ ...problem(429, "too many attempts"), headers: { "retry-after": "120" } }),
  "ev-broken": () => problem(500, "internal error"),
};

const confirmations = {
  "c-confirmed": { state: "confirmed", message: "Confirmed", remainingCapacity: 3 },
  "c-wait": {
    state: "waitlisted",
    message: "Waitlisted",
    remainingCapacity: 0,
    waitlistPosition: 3,
  },
  "c-approval": {
    state: "awaiting_approval",
    message: "Awaiting approval",
    remainingCapacity: null,
  },
};

const participation = (state) => ({
  id: "p1",
  eventId: "ev-ok",
  state,
  name: "Ana Lopes",
  email: "ana@example.org",
  message: "",
  waitlistPosition: null,
  createdAt: "2026-11-01T10:00:00Z",
});

/** A minimal event as the fake serves it for `src` + `event-id`. */
export function fakeEvent(id, origin) {
  return {
    id,
    url: `${origin}/events/${id}`,
    icsUrl: `${origin}/events/${id}.ics`,
    title: `Fake event ${id}`,
    description: "<p>Served by the fake server.</p>",
    beginsAt: "2030-06-01T18:00:00+02:00",
    endsAt: "2030-06-01T20:00:00+02:00",
    timezone: "Europe/Paris",
    allDay: false,
    attendanceMode: "offline",
    address: { venue: "Salle", locality: "Lyon", country: "FR" },
    onlineUrl: null,
    category: "MEETING",
    tags: [],
    language: "en",
    banner: null,
    visibility: "public",
    status: "confirmed",
    draft: false,
    publishAt: null,
    joinMode: "free",
    externalUrl: null,
    capacity: 0,
    participantCount: 0,
    rsvpOpen: true,
    remainingCapacity: null,
    organizer: {
      id: "o1",
      handle: "camille@fake.test",
      name: "Camille",
      url: `${origin}/@camille`,
    },
    group: null,
    recurrence: null,
    sequence: 0,
    createdAt: "2026-11-01T10:00:00Z",
    updatedAt: "2026-11-01T10:00:00Z",
  };
}

function answer(req, body, origin) {
  const url = new URL(req.url, origin);
  const p = url.pathname;
  let m = /^\/api\/v1\/events\/([^/]+)\/participations$/.exec(p);
  if (req.method === "POST" && m) return (rsvp[decodeURIComponent(m[1])] ?? rsvp["ev-ok"])();
  m = /^\/api\/v1\/events\/([^/]+)$/.exec(p);
  if (req.method === "GET" && m) return ok(200, fakeEvent(decodeURIComponent(m[1]), origin));
  const token = body?.token;
  if (req.method === "POST" && p === "/api/v1/participations/confirm")
    return confirmations[token]
      ? ok(200, confirmations[token])
      : problem(410, "link expired or already used");
  if (req.method === "POST" && p === "/api/v1/participations/lookup") {
    if (token === "m-ok") return ok(200, participation("confirmed"));
    if (token === "m-cancelled") return ok(200, participation("cancelled"));
    return problem(404, "no such participation");
  }
  if (req.method === "POST" && p === "/api/v1/participations/cancel")
    return token === "m-ok"
      ? ok(200, { state: "cancelled", message: "Cancelled", remainingCapacity: 4 })
      : problem(410, "link expired or already used");
  if (req.method === "GET" && p === "/.well-known/webfinger") {
    const resource = url.searchParams.get("resource") ?? "";
    const [, user, host] = /^acct:([^@]+)@(.+)$/.exec(resource) ?? [];
    if (!user || user === "nobody") return problem(404, "no such account");
    const links = [
      { rel: "self", type: "application/activity+json", href: `https://${host}/users/${user}` },
    ];
    if (user !== "bare")
      links.push({
        rel: "http://ostatus.org/schema/1.0/subscribe",
        template: `https://${host}/authorize_interaction?uri={uri}`,
      });
    return { ...ok(200, { subject: resource, links }), type: "application/jrd+json", public: true };
  }
  return problem(404, `no route ${req.method} ${p}`);
}

export async function startFakeServer() {
  const requests = [];
  const server = createServer((req, res) => {
    let raw = "";
    req.on("data", (c) => {
      raw += c;
    });
    req.on("end", () => {
      const origin = `http://${req.headers.host}`;
      // CORS as docs/rsvp-api.md: the embed's origin is echoed, no credentials.
      // Retry-After is not a CORS-safelisted header: it must be exposed to be read.
      const cors = {
        "access-control-allow-origin": req.headers.origin ?? "*",
        "access-control-expose-headers": "retry-after",
        vary: "origin",
      };
      if (req.method === "OPTIONS") {
        res.writeHead(204, {
          ...cors,
          "access-control-allow-methods": "GET, POST",
          "access-control-allow-headers": "content-type",
          "access-control-max-age": "600",
        });
        return res.end();
      }
      if (req.url === "/__requests") {
        res.writeHead(200, {
          "content-type": "application/json",
          "access-control-allow-origin": "*",
        });
        return res.end(JSON.stringify(requests));
      }
      let body = null;
      try {
        body = raw ? JSON.parse(raw) : null;
      } catch {
        body = raw;
      }
      requests.push({
        method: req.method,
        url: req.url,
        body,
        cookie: req.headers.cookie ?? null,
        contentType: req.headers["content-type"] ?? null,
      });
      const a = answer(req, body, origin);
      res.writeHead(a.status, { "content-type": a.type, ...cors, ...(a.headers ?? {}) });
      res.end(JSON.stringify(a.body));
    });
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(resolve);
      }),
  };
}
