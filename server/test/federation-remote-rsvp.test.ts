import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  activity,
  createFedEnv,
  PUBLIC,
  RemoteStub,
  type StubActor,
  until,
} from "./federation-helpers.ts";
import { type DialectName, dialects, ORIGIN, type TestEnv, type TestUser } from "./helpers.ts";

describe.each(dialects)("RSVP to a remote event on %s", (dialect: DialectName) => {
  let t: TestEnv;
  let stub: RemoteStub;
  let admin: TestUser;
  let guest: TestUser;
  let grp: StubActor;
  let mallory: StubActor;
  let eventId: string;
  const apId = () => `${stub.origin}/events/joinable`;

  const deliver = async (a: unknown, as: StubActor) => {
    expect((await stub.send(t, "/inbox", a, as)).status).toBe(202);
    await t.services.federation.drained();
  };
  const state = async () => {
    const r = await t.send(
      "GET",
      `/api/v1/federation/events/${eventId}/rsvp`,
      undefined,
      guest.auth(),
    );
    return r.status === 200 ? (await r.json()).state : r.status;
  };
  const rsvp = () => t.send("POST", `/api/v1/events/${eventId}/participations`, {}, guest.auth());

  beforeAll(async () => {
    t = await createFedEnv(dialect);
    stub = await RemoteStub.start();
    admin = await t.user({ handle: `adm_${dialect}`, role: "admin" });
    guest = await t.user({ handle: `gst_${dialect}` });
    grp = await stub.actor("grp", "Group");
    mallory = await stub.actor("mallory");
    const res = await t.send(
      "POST",
      "/api/v1/federation/follows",
      { target: grp.id, as: "relay" },
      admin.auth(),
    );
    const { id } = await res.json();
    await deliver(activity("Accept", grp, { id, type: "Follow" }), grp);
    await deliver(
      activity("Create", grp, {
        id: apId(),
        type: "Event",
        name: "Joinable",
        startTime: "2031-06-01T18:00:00+02:00",
        timezone: "Europe/Paris",
        joinMode: "free",
        maximumAttendeeCapacity: 10,
        attributedTo: grp.id,
        to: [PUBLIC],
      }),
      grp,
    );
    eventId = (await until(() => t.services.federation.repo.remoteEventByApId(apId()), "event"))
      .eventId;
  });

  afterAll(async () => {
    await t?.close();
    await stub?.close();
  });

  it("sends Join, stores it pending, and takes answers only from the organizer actor", async () => {
    const res = await rsvp();
    expect(res.status).toBe(200);
    expect((await res.json()).state).toBe("awaiting_approval");
    await t.services.federation.drained();
    const join = (await until(() => stub.inboxed("Join")[0], "Join")).json;
    expect(join).toMatchObject({
      type: "Join",
      actor: `${ORIGIN}/@${guest.identity.handle}`,
      object: apId(),
    });
    expect(await state()).toBe("pending");

    // Someone else on the event's host cannot accept for its organizer.
    await deliver(activity("Accept", mallory, join), mallory);
    expect(await state()).toBe("pending");
    await deliver(activity("Reject", grp, join), grp);
    expect(await state()).toBe("rejected");

    // Asking again sends a new Join; the organizer accepts it.
    await rsvp();
    await t.services.federation.drained();
    const second = (await until(() => stub.inboxed("Join")[1], "second Join")).json;
    expect(second.id).not.toBe(join.id);
    await deliver(activity("Accept", grp, second.id), grp);
    expect(await state()).toBe("accepted");
  });

  it("sends Leave when the identity withdraws", async () => {
    const res = await t.send(
      "DELETE",
      `/api/v1/federation/events/${eventId}/rsvp`,
      undefined,
      guest.auth(),
    );
    expect(res.status).toBe(204);
    await t.services.federation.drained();
    const leave = (await until(() => stub.inboxed("Leave")[0], "Leave")).json;
    expect(leave).toMatchObject({ actor: `${ORIGIN}/@${guest.identity.handle}`, object: apId() });
    expect(await state()).toBe("cancelled");
    // Nothing left to withdraw.
    expect(
      (await t.send("DELETE", `/api/v1/federation/events/${eventId}/rsvp`, undefined, guest.auth()))
        .status,
    ).toBe(404);
  });
});
