import type { ReactNode } from "react";

/** The colours app/styles/light.css defines for tags; brand (the default) is the theme's own. */
export type TagColor = "brand" | "gray" | "red" | "pink" | "grape" | "violet" | "indigo" | "blue" | "cyan" | "teal" | "green" | "lime" | "yellow" | "orange";

/**
 * A small label (status, category, action type) with the look of Mantine's Badge (size lg, radius
 * sm, the theme's contrast-checked colours) as one plain element: lists show dozens of them.
 */
export function Tag({ color = "brand", variant = "light", children }: { color?: TagColor; variant?: "light" | "outline" | "filled"; children: ReactNode }) {
  return (
    <span className="tag" data-variant={variant} data-color={color === "brand" ? undefined : color}>
      {children}
    </span>
  );
}
