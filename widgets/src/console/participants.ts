/** One event's participants: states, approve/reject, CSV, message, close RSVPs. */
import type { EventJson } from "@eventail/client";
import { html, nothing, type PropertyDeclarations } from "lit";
import { ConsoleView, define, formValues } from "./view.ts";

interface Participant {
  id: string;
  kind: string;
  state: string;
  name: string | null;
  email: string | null;
  message: string | null;
  actorUrl: string | null;
  createdAt: string;
}

export class ConsoleParticipants extends ConsoleView {
  static override properties: PropertyDeclarations = {
    ...ConsoleView.properties,
    eventId: { attribute: false },
    event: { state: true },
    items: { state: true },
    counts: { state: true },
  };
  declare eventId: string;
  declare event: EventJson | null;
  declare items: Participant[] | null;
  declare counts: Record<string, number>;

  constructor() {
    super();
    this.event = null;
    this.items = null;
    this.counts = {};
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.#load();
  }

  async #load(notice = "") {
    await this.run(async () => {
      const [event, list] = await Promise.all([
        this.api.get<EventJson>(`/api/v1/events/${this.eventId}`),
        this.api.get<{ items: Participant[]; counts: Record<string, number> }>(
          `/api/v1/events/${this.eventId}/participants`,
        ),
      ]);
      this.event = event;
      this.items = list.items;
      this.counts = list.counts;
    }, notice);
  }

  override render() {
    const t = this.t;
    const e = this.event;
    return html`<h1 tabindex="-1">${t.participants}${e ? html`: ${e.title}` : nothing}</h1>
      ${this.status()}
      ${e ? html`<p><a href="#/events/${e.id}">${t.edit}</a> · <a href=${e.url}>${t.preview}</a></p>` : nothing}
      ${
        Object.keys(this.counts).length
          ? html`<p>
            ${Object.entries(this.counts)
              .filter(([, n]) => n > 0)
              .map(([s, n]) => `${t.states[s] ?? s}: ${n}`)
              .join(" · ")}
          </p>`
          : nothing
      }
      <div class="actions">
        <button type="button" class="secondary" @click=${this.#csv}>${t.exportCsv}</button>
        ${
          e
            ? html`<button type="button" class="secondary" @click=${() => this.#rsvps(!e.rsvpOpen)}>
                ${e.rsvpOpen ? t.closeRsvps : t.reopenRsvps}
              </button>`
            : nothing
        }
      </div>
      ${this.#table()}
      ${
        e?.joinMode === "invite"
          ? html`<h2 id="invite-heading">${t.invite}</h2>
            <form aria-labelledby="invite-heading" @submit=${this.#invite}>
              ${this.input("inviteHandle", t.memberHandle, "", { required: true, path: "handle" })}
              <div class="actions"><button type="submit" ?disabled=${this.busy}>${t.invite}</button></div>
            </form>`
          : nothing
      }
      <h2 id="message-heading">${t.messageParticipants}</h2>
      <form aria-labelledby="message-heading" @submit=${this.#message}>
        ${this.input("subject", t.subject, "")}
        ${this.textarea("body", t.message, "")}
        <div class="actions"><button type="submit" ?disabled=${this.busy}>${t.send}</button></div>
      </form>`;
  }

  #table() {
    const t = this.t;
    if (this.items === null) return nothing;
    if (!this.items.length) return html`<p>${t.noParticipants}</p>`;
    return html`<div class="table-wrap">
      <table>
        <caption class="visually-hidden">${t.participants}</caption>
        <thead>
          <tr>
            <th scope="col">${t.name}</th>
            <th scope="col">${t.email}</th>
            <th scope="col">${t.state}</th>
            <th scope="col">${t.message}</th>
            <th scope="col">${t.actions}</th>
          </tr>
        </thead>
        <tbody>
          ${this.items.map(
            (p) => html`<tr>
              <td>${p.name ?? p.actorUrl ?? ""}</td>
              <td>${p.email ?? ""}</td>
              <td>${t.states[p.state] ?? p.state}</td>
              <td>${p.message ?? ""}</td>
              <td class="actions">
                ${
                  p.state === "awaiting_approval" || p.state === "waitlisted"
                    ? html`<button type="button" @click=${() => this.#decide(p, "approve")}>
                        ${t.approve}<span class="visually-hidden"> ${p.name ?? ""}</span>
                      </button>`
                    : nothing
                }
                ${
                  ["awaiting_approval", "waitlisted", "confirmed"].includes(p.state)
                    ? html`<button type="button" class="danger" @click=${() => this.#decide(p, "reject")}>
                        ${t.reject}<span class="visually-hidden"> ${p.name ?? ""}</span>
                      </button>`
                    : nothing
                }
              </td>
            </tr>`,
          )}
        </tbody>
      </table>
    </div>`;
  }

  async #decide(p: Participant, action: "approve" | "reject") {
    const ok = await this.run(() =>
      this.api.request("POST", `/api/v1/events/${this.eventId}/participants/${p.id}/${action}`),
    );
    if (ok) await this.#load(this.t.saved);
  }

  async #invite(ev: SubmitEvent) {
    ev.preventDefault();
    const form = ev.target as HTMLFormElement;
    const v = formValues(form);
    const handle = (v.inviteHandle ?? "").replace(/^@/, "").split("@")[0];
    const ok = await this.run(() =>
      this.api.request("POST", `/api/v1/events/${this.eventId}/invitations`, { handle }),
    );
    if (ok) {
      form.reset();
      await this.#load(this.t.saved);
    }
  }

  async #csv() {
    await this.run(() =>
      this.api.download(
        `/api/v1/events/${this.eventId}/participants.csv`,
        `participants-${this.eventId}.csv`,
      ),
    );
  }

  async #rsvps(open: boolean) {
    const ok = await this.run(() =>
      this.api.request("POST", `/api/v1/events/${this.eventId}/rsvp-status`, { open }),
    );
    if (ok) await this.#load(this.t.saved);
  }

  async #message(ev: SubmitEvent) {
    ev.preventDefault();
    const form = ev.target as HTMLFormElement;
    const v = formValues(form);
    const out = await this.run(() =>
      this.api.request<{ sent: number }>(
        "POST",
        `/api/v1/events/${this.eventId}/participants/message`,
        { subject: v.subject ?? "", body: v.body ?? "" },
      ),
    );
    if (out) {
      form.reset();
      this.notice = this.t.sent(out.sent);
    }
  }
}

define("ev-console-participants", ConsoleParticipants);
