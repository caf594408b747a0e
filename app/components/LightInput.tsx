import { ComboboxChevron, getFontSize, getSize, Input, useMantineTheme, type MantineSize } from "@mantine/core";
import { useId } from "@mantine/hooks";
import type { CSSProperties, InputHTMLAttributes, ReactNode, SelectHTMLAttributes } from "react";
import { themeSize } from "./LightButton";

/**
 * Mantine's TextInput and NativeSelect markup (same classes, variables, ids; light-input.test.ts
 * compares them) for plain filter forms: a label and a value, no error, description or sections.
 * Mantine's versions cost ~110 µs each to render, on every request (docs/performance.md).
 */
type Named = "TextInput" | "NativeSelect";
const c = Input.classes;

function Field({ component, size, id, label, right, children }: { component: Named; size: MantineSize; id: string; label: ReactNode; right?: boolean; children: ReactNode }) {
  const wrapperVars: Record<string, string> = { "--input-height": getSize(size, "input-height")!, "--input-fz": getFontSize(size)! };
  if (right) wrapperVars["--input-right-section-pointer-events"] = "none";
  return (
    <div className={`${c.root} mantine-InputWrapper-root mantine-${component}-root`} data-size={size}>
      <label
        style={{ "--input-label-size": getFontSize(size) } as CSSProperties}
        className={`${c.label} mantine-InputWrapper-label mantine-${component}-label`}
        data-size={size}
        htmlFor={id}
        id={`${id}-label`}
      >
        {label}
      </label>
      <div
        style={wrapperVars as CSSProperties}
        className={`${c.wrapper} mantine-Input-wrapper mantine-${component}-wrapper`}
        data-variant="default"
        data-size={size}
        data-pointer={right ? true : undefined}
        data-with-right-section={right ? true : undefined}
      >
        {children}
      </div>
    </div>
  );
}

export function LightTextInput({ label, size, id, ...rest }: { label: ReactNode; size?: MantineSize } & Omit<InputHTMLAttributes<HTMLInputElement>, "size">) {
  const theme = useMantineTheme();
  const s = themeSize(theme, "TextInput", size);
  const uid = useId(id);
  return (
    <Field component="TextInput" size={s} id={uid} label={label}>
      <input className={`${c.input} mantine-Input-input mantine-TextInput-input`} data-variant="default" {...rest} aria-invalid={false} id={uid} />
    </Field>
  );
}

export function LightNativeSelect({
  label,
  size,
  id,
  data,
  ...rest
}: { label: ReactNode; size?: MantineSize; data: Array<{ value: string; label: string }> } & Omit<SelectHTMLAttributes<HTMLSelectElement>, "size">) {
  const theme = useMantineTheme();
  const s = themeSize(theme, "NativeSelect", size);
  const uid = useId(id);
  return (
    <Field component="NativeSelect" size={s} id={uid} label={label} right>
      <select className={`${c.input} mantine-Input-input mantine-NativeSelect-input`} data-variant="default" {...rest} aria-invalid={false} id={uid}>
        {data.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      <div data-position="right" className={`${c.section} mantine-Input-section mantine-NativeSelect-section`}>
        <ComboboxChevron size={s} />
      </div>
    </Field>
  );
}
