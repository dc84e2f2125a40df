/**
 * Loads elements from this server's /widgets/ bundle (the very files embedding sites load,
 * found through its elements.json), so previews in the console show what the public sees.
 * Resolves false when the bundle is not built.
 */
export async function loadWidgetElements(names: string[]): Promise<boolean> {
  try {
    const res = await fetch("/widgets/elements.json");
    const { elements } = (await res.json()) as { elements: Record<string, string> };
    await Promise.all(
      names.map(
        (name) => import(/* @vite-ignore */ `/widgets/${elements[name]}`) as Promise<unknown>,
      ),
    );
    return true;
  } catch {
    return false;
  }
}
