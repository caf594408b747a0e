import type { LoaderFunctionArgs } from "@remix-run/node";
import { themeCss, themeCssHref } from "../components/theme-css";
import { elderTheme, theme } from "../theme";

/**
 * The theme's CSS variables for normal and 长辈模式 pages (root.tsx links the one it needs, with
 * the content's hash in the address). Public and immutable when the address is this version's;
 * during a rolling update a server asked for another version answers without letting it be kept.
 */
export function loader({ request }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const mode = url.searchParams.get("mode") === "elder" ? "elder" : "normal";
  const override = mode === "elder" ? elderTheme : theme;
  const current = url.pathname + url.search === themeCssHref(mode, override);
  return new Response(themeCss(override), {
    headers: { "Content-Type": "text/css; charset=utf-8", "Cache-Control": current ? "public, max-age=31536000, immutable" : "no-store" },
  });
}
