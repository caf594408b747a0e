import { DEFAULT_THEME, convertCssVariables, defaultCssVariablesResolver, mergeMantineTheme, type MantineThemeOverride } from "@mantine/core";

const defaults = defaultCssVariablesResolver(DEFAULT_THEME);
const cache = new WeakMap<MantineThemeOverride, string>();

/**
 * The theme's CSS variables, as MantineProvider would write them into a <style> of every page (only those that
 * differ from Mantine's defaults, which its stylesheet already has), but computed once per theme:
 * the provider recomputed ~15 KB of them on each render and sent them again with every page
 * (docs/performance.md). Served as a cacheable stylesheet by app/routes/theme[.css].tsx.
 */
export function themeCss(override: MantineThemeOverride): string {
  let css = cache.get(override);
  if (css === undefined) {
    const vars = defaultCssVariablesResolver(mergeMantineTheme(DEFAULT_THEME, override));
    const differing = (from: Record<string, string>, base: Record<string, string>) => Object.fromEntries(Object.entries(from).filter(([k, v]) => base[k] !== v));
    css = convertCssVariables({
      variables: differing(vars.variables, defaults.variables),
      light: differing(vars.light, defaults.light),
      dark: differing(vars.dark, defaults.dark),
    });
    cache.set(override, css);
  }
  return css;
}

/** FNV-1a of the text, as 8 hex digits: the stylesheet's version in its address (same on server and browser). */
function fnv1a(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, "0");
}

const versions = new WeakMap<MantineThemeOverride, string>();

/** The stylesheet's address for a mode; it changes when the theme does, so browsers may keep it for a year. */
export function themeCssHref(mode: "normal" | "elder", override: MantineThemeOverride): string {
  // Every page renders this: the 15 KB are hashed once per theme, not per render.
  let version = versions.get(override);
  if (version === undefined) versions.set(override, (version = fnv1a(themeCss(override))));
  return `/theme.css?mode=${mode}&v=${version}`;
}
