/** Private and public JSON shapes of accounts and profiles (events map through core). */
import type {
  Account,
  Banner,
  Group,
  GroupJson,
  Identity,
  IdentityJson,
  ImageJson,
} from "@eventail/core";
import type { Services } from "../../services.ts";
import type { TokenRow } from "../../storage/index.ts";

/** Only ever sent to the account itself or to instance admins. */
export function accountJson(a: Account) {
  return {
    id: a.id,
    email: a.email,
    role: a.role,
    state: a.state,
    createdAt: a.createdAt.toISOString(),
  };
}

/** Public: carries nothing that links the identity to its account or to sibling identities. */
export function identityJson(s: Services, i: Identity): IdentityJson {
  return { ...s.links.actorRef(i), bio: i.bio, avatar: imageJson(s, i.avatar) };
}

export function groupJson(s: Services, g: Group): GroupJson {
  return {
    ...s.links.actorRef(g),
    description: g.description,
    avatar: imageJson(s, g.avatar),
    banner: imageJson(s, g.banner),
    resources: g.resources,
    createdAt: g.createdAt.toISOString(),
  };
}

/** A stored image with its absolute URL on this instance. */
function imageJson(s: Services, b: Banner | null): ImageJson | null {
  if (!b) return null;
  return {
    url: `${s.links.origin}${b.path}`,
    alt: b.alt,
    mediaType: b.mediaType,
    ...(b.width ? { width: b.width, height: b.height } : {}),
  };
}

export function tokenJson(t: TokenRow) {
  return {
    id: t.id,
    name: t.name,
    createdAt: t.createdAt.toISOString(),
    lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
    revokedAt: t.revokedAt?.toISOString() ?? null,
  };
}
