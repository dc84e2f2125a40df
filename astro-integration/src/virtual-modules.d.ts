/** Types of the virtual module served by virtual-config.ts. */
declare module "virtual:eventail/config" {
  export const config: import("@eventail/astro").RuntimeConfig;
  export const Layout: (props: { title: string }) => unknown;
  export function loadEvents(): Promise<import("@eventail/sources").SiteEvent[]>;
}
