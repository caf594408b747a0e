import { createTheme, mergeThemeOverrides } from "@mantine/core";

/**
 * Larger type and targets than Mantine's defaults: many residents are elderly and on phones.
 * Primary shade 8 keeps text on primary buttons above 4.5:1 contrast.
 */
export const theme = createTheme({
  primaryColor: "teal",
  primaryShade: 8,
  fontFamily: '-apple-system, BlinkMacSystemFont, "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC", sans-serif',
  fontSizes: { xs: "14px", sm: "15px", md: "17px", lg: "19px", xl: "22px" },
  lineHeights: { md: "1.65" },
  defaultRadius: "md",
  components: {
    Button: { defaultProps: { size: "md" } },
    TextInput: { defaultProps: { size: "md" } },
    PasswordInput: { defaultProps: { size: "md" } },
    Select: { defaultProps: { size: "md" } },
    NativeSelect: { defaultProps: { size: "md" } },
    Textarea: { defaultProps: { size: "md" } },
  },
});

/** 长辈模式: base text 22 px, every control at least 52 px high, darker primary for contrast. */
export const elderTheme = mergeThemeOverrides(
  theme,
  createTheme({
    primaryShade: 9,
    fontSizes: { xs: "18px", sm: "20px", md: "22px", lg: "24px", xl: "28px" },
    headings: { sizes: { h1: { fontSize: "34px" }, h2: { fontSize: "30px" }, h3: { fontSize: "26px" }, h4: { fontSize: "24px" } } },
    components: {
      Button: { defaultProps: { size: "xl" } },
      TextInput: { defaultProps: { size: "xl" } },
      PasswordInput: { defaultProps: { size: "xl" } },
      Select: { defaultProps: { size: "xl" } },
      NativeSelect: { defaultProps: { size: "xl" } },
      Textarea: { defaultProps: { size: "xl" } },
    },
  }),
);
