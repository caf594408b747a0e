import type { LoaderFunctionArgs } from "@remix-run/node";
import { themeCss } from "../components/theme-css";
import { elderTheme, theme } from "../theme";

/**
 * The theme's CSS variables for normal and 长辈模式 pages (root.tsx links the one it needs, with
 * the content's hash in the address). Public and immutable: the same for everyone.
 */
export function loader({ request }: LoaderFunctionArgs) {
  const elder = new URL(request.url).searchParams.get("mode") === "elder";
  return new Response(themeCss(elder ? elderTheme : theme), {
    headers: { "Content-Type": "text/css; charset=utf-8", "Cache-Control": "public, max-age=31536000, immutable" },
  });
}
