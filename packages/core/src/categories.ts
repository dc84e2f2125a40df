/**
 * Event categories: Mobilizon's fixed list, so events keep their category when they
 * cross to or from Mobilizon (it sends these exact values in `category`).
 */
export const CATEGORIES = [
  "ARTS",
  "AUTO_BOAT_AIR",
  "BOOK_CLUBS",
  "BUSINESS",
  "CAUSES",
  "COMEDY",
  "COMMUNITY",
  "CRAFTS",
  "FAMILY_EDUCATION",
  "FASHION_BEAUTY",
  "FILM_MEDIA",
  "FOOD_DRINK",
  "GAMES",
  "HEALTH",
  "LANGUAGE_CULTURE",
  "LEARNING",
  "LGBTQ",
  "MEETING",
  "MOVEMENTS_POLITICS",
  "MUSIC",
  "NETWORKING",
  "OUTDOORS_ADVENTURE",
  "PARTY",
  "PERFORMING_VISUAL_ARTS",
  "PETS",
  "PHOTOGRAPHY",
  "SCIENCE_TECH",
  "SPIRITUALITY_RELIGION_BELIEFS",
  "SPORTS",
  "THEATRE",
] as const;

export type Category = (typeof CATEGORIES)[number];

/** Mobilizon's default when an event names none. */
export const DEFAULT_CATEGORY: Category = "MEETING";

/** Reads a category from a peer, tolerating case ("meeting" from WordPress bridges). */
export function parseCategory(value: unknown): Category | undefined {
  if (typeof value !== "string") return undefined;
  const upper = value.trim().toUpperCase();
  return (CATEGORIES as readonly string[]).includes(upper) ? (upper as Category) : undefined;
}
