import { Button, Group, NativeSelect } from "@mantine/core";
import { Form } from "@remix-run/react";

/**
 * The first step of a staff form whose scope holds too many places for one select box: choose a
 * larger place, and the form below lists what is inside it. A GET form of its own, placed above the
 * form it serves, so nothing typed there is lost; `hidden` carries the page's other query values.
 */
export function DrillForm(props: {
  /** The form's own name for assistive technology (its select has `label`). */
  title: string;
  name: string;
  label: string;
  description: string;
  button: string;
  options: Array<{ value: string; label: string }>;
  value: string;
  hidden?: Record<string, string>;
}) {
  return (
    // preventScrollReset: the reloaded page stays where the person was, at the form.
    <Form method="get" aria-label={props.title} preventScrollReset>
      {Object.entries(props.hidden ?? {}).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <Group align="flex-end">
        {/* Keyed: the options change with each choice, and a mounted select would keep its old position. */}
        <NativeSelect
          key={props.value}
          label={props.label}
          name={props.name}
          defaultValue={props.value}
          data={[{ value: "", label: "请选择" }, ...props.options]}
          description={props.description}
          style={{ minWidth: 260 }}
        />
        <Button type="submit" variant="default">
          {props.button}
        </Button>
      </Group>
    </Form>
  );
}
