import { Button, getFontSize, getSize, UnstyledButton, useMantineTheme, type MantineSize, type MantineTheme } from "@mantine/core";
import type { CSSProperties, ElementType, ReactNode } from "react";

type Variant = "filled" | "default" | "subtle" | "light" | "outline";
type ButtonSize = MantineSize;

const ROOT = `mantine-focus-auto mantine-active ${Button.classes.root} mantine-Button-root ${UnstyledButton.classes.root} mantine-UnstyledButton-root`;
const INNER = `${Button.classes.inner} mantine-Button-inner`;
const LABEL = `${Button.classes.label} mantine-Button-label`;
const SECTION = `${Button.classes.section} mantine-Button-section`;

/** A size prop, else the theme's default for the component (长辈模式 makes controls xl), else Mantine's "sm". */
export function themeSize(theme: MantineTheme, component: string, size: MantineSize | undefined): MantineSize {
  return size ?? (theme.components[component]?.defaultProps as { size?: MantineSize } | undefined)?.size ?? "sm";
}

// Keyed by the theme's colour resolver: MantineProvider merges a new theme object on every
// server render, but the resolver (one per mode, from app/theme.ts) stays the same function.
const varsCache = new WeakMap<MantineTheme["variantColorResolver"], Map<string, CSSProperties>>();

/** The CSS variables Mantine's Button computes for a variant and size (its varsResolver), once per mode. */
function buttonVars(theme: MantineTheme, variant: Variant, size: ButtonSize): CSSProperties {
  let byKey = varsCache.get(theme.variantColorResolver);
  if (!byKey) varsCache.set(theme.variantColorResolver, (byKey = new Map()));
  const key = `${theme.primaryColor}|${variant}|${size}`;
  let vars = byKey.get(key);
  if (!vars) {
    const colors = theme.variantColorResolver({ color: theme.primaryColor, theme, variant });
    const all: Record<string, string | undefined> = {
      "--button-height": getSize(size, "button-height"),
      "--button-padding-x": getSize(size, "button-padding-x"),
      "--button-fz": getFontSize(size),
      "--button-bg": colors.background,
      "--button-hover": colors.hover,
      "--button-color": colors.color,
      "--button-bd": colors.border,
      "--button-hover-color": colors.hoverColor,
    };
    vars = Object.fromEntries(Object.entries(all).filter(([, v]) => v !== undefined)) as CSSProperties;
    byKey.set(key, vars);
  }
  return vars;
}

/**
 * Mantine's Button markup (same classes, variables and attributes; light-button.test.ts compares
 * the two) without its per-render props machinery: for the buttons every page's shell repeats.
 * A variant is required; other Button features (loading, gradient, justify) are not offered.
 */
export function LightButton<C extends ElementType = "button">({
  component,
  variant,
  size,
  px,
  leftSection,
  children,
  style,
  className,
  ...rest
}: {
  component?: C;
  variant: Variant;
  size?: ButtonSize;
  /** Mantine's `px` style prop: a spacing key. */
  px?: MantineSize;
  leftSection?: ReactNode;
  children?: ReactNode;
  style?: CSSProperties;
  className?: string;
} & Omit<React.ComponentPropsWithoutRef<C>, "children" | "style" | "className" | "color" | "disabled">) {
  const theme = useMantineTheme();
  const resolved = themeSize(theme, "Button", size);
  const Component: ElementType = component ?? "button";
  const vars = buttonVars(theme, variant, resolved);
  const finalStyle = px || style ? { ...vars, ...(px ? { paddingInline: `var(--mantine-spacing-${px})` } : null), ...style } : vars;
  return (
    <Component
      style={finalStyle}
      className={className ? `${ROOT} ${className}` : ROOT}
      data-variant={variant}
      data-size={resolved}
      data-with-left-section={leftSection ? true : undefined}
      {...(Component === "button" && !("type" in rest) ? { type: "button" } : null)}
      {...rest}
    >
      <span className={INNER}>
        {leftSection ? (
          <span className={SECTION} data-position="left">
            {leftSection}
          </span>
        ) : null}
        <span className={LABEL}>{children}</span>
      </span>
    </Component>
  );
}
