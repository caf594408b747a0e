import { createTheme, defaultVariantColorsResolver, mergeThemeOverrides, type MantineColorsTuple, type VariantColorsResolver } from "@mantine/core";

/**
 * A teal darkened until white text on its shades 5–9, and its shade 6+ text on white, pass WCAG AA
 * (4.5:1): Mantine's own teal at shade 6–8 does not.
 */
const brand: MantineColorsTuple = ["#e6f6f1", "#c3e9dd", "#9ddbc7", "#6fc9ad", "#3fae8c", "#0c7a58", "#0a6e50", "#096447", "#085a40", "#064a34"];

/** Colours whose darkest shade is still light: white text on them fails, black passes. */
const LIGHT_HUES = new Set(["yellow", "orange", "lime"]);

/**
 * Mantine's variant colours use shades 6–8, which fall below 4.5:1 for most hues. Filled
 * components use shade 9 (with black text on the light hues); tinted and outlined ones use a text
 * colour darkened further, so every colour passes on its tint. 长辈模式 darkens both again, to the
 * 7:1 of WCAG 1.4.6 (checked by tests/e2e/elder-resident.spec.ts).
 */
function variantColorResolverFor(mode: "normal" | "elder"): VariantColorsResolver {
  return (input) => {
    const colors = defaultVariantColorsResolver(input);
    const name = input.color ?? input.theme.primaryColor;
    if (!(name in input.theme.colors) || name === "brand") return colors;
    const light = LIGHT_HUES.has(name);
    const fill = mode === "elder" && !light ? `color-mix(in srgb, var(--mantine-color-${name}-9), black 30%)` : `var(--mantine-color-${name}-9)`;
    const dark = `color-mix(in srgb, var(--mantine-color-${name}-9), black ${mode === "elder" ? 55 : 35}%)`;
    switch (input.variant) {
      case "filled":
        return { ...colors, background: fill, hover: fill, color: light ? "var(--mantine-color-black)" : "var(--mantine-color-white)" };
      case "light":
      case "outline":
      case "subtle":
      case "transparent":
        return { ...colors, color: dark, border: input.variant === "outline" ? `1px solid ${dark}` : colors.border };
      default:
        return colors;
    }
  };
}

/**
 * Larger type and targets than Mantine's defaults: many residents are elderly and on phones.
 * Colours keep text at 4.5:1 or better (checked by tests/e2e/a11y.spec.ts with axe).
 */
export const theme = createTheme({
  colors: { brand },
  primaryColor: "brand",
  primaryShade: 7,
  autoContrast: true,
  variantColorResolver: variantColorResolverFor("normal"),
  fontFamily: '-apple-system, BlinkMacSystemFont, "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC", sans-serif',
  fontSizes: { xs: "14px", sm: "16px", md: "18px", lg: "20px", xl: "22px" },
  lineHeights: { md: "1.65" },
  defaultRadius: "md",
  components: {
    Button: { defaultProps: { size: "md" } },
    TextInput: { defaultProps: { size: "md" } },
    PasswordInput: { defaultProps: { size: "md" } },
    Select: { defaultProps: { size: "md" } },
    NativeSelect: { defaultProps: { size: "md" } },
    Textarea: { defaultProps: { size: "md" } },
    // A wide table scrolls sideways on a phone; keyboard users must be able to focus it to scroll.
    // Links inside text must be told apart by more than colour (WCAG 1.4.1).
    Anchor: { defaultProps: { underline: "always" } },
    TableScrollContainer: { defaultProps: { type: "native", tabIndex: 0 } },
  },
});

/** 长辈模式: base text 22 px, every control at least 52 px high, darker primary for contrast. */
export const elderTheme = mergeThemeOverrides(
  theme,
  createTheme({
    primaryShade: 9,
    variantColorResolver: variantColorResolverFor("elder"),
    fontSizes: { xs: "18px", sm: "20px", md: "22px", lg: "24px", xl: "28px" },
    headings: { sizes: { h1: { fontSize: "34px" }, h2: { fontSize: "30px" }, h3: { fontSize: "26px" }, h4: { fontSize: "24px" } } },
    components: {
      Button: { defaultProps: { size: "xl" } },
      TextInput: { defaultProps: { size: "xl" } },
      PasswordInput: { defaultProps: { size: "xl" } },
      Select: { defaultProps: { size: "xl" } },
      NativeSelect: { defaultProps: { size: "xl" } },
      Textarea: { defaultProps: { size: "xl" } },
      Checkbox: { defaultProps: { size: "lg" } },
      Radio: { defaultProps: { size: "lg" } },
    },
  }),
);
