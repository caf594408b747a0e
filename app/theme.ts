import { createTheme } from "@mantine/core";

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
