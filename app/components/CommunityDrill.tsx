import { Button, Group, NativeSelect } from "@mantine/core";
import { Form } from "@remix-run/react";

/**
 * The first step of a staff form whose scope holds too many communities for one select box
 * (communityChoices): choose a 街道 or 区县, and the form's 社区（村） select lists its communities.
 * A GET form of its own, placed above the form it serves, so nothing typed there is lost.
 */
export function CommunityDrill({ options, at, hidden = {} }: { options: Array<{ value: string; label: string }>; at: string; hidden?: Record<string, string> }) {
  return (
    <Form method="get" aria-label="先选择街道或区县">
      {Object.entries(hidden).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <Group align="flex-end">
        {/* Keyed: the options change with each choice, and a mounted select would keep its old position. */}
        <NativeSelect
          key={at}
          label="所在街道或区县"
          name="at"
          defaultValue={at}
          data={[{ value: "", label: "请选择" }, ...options]}
          description="您负责的社区较多：先选择街道或区县，再点“列出社区”，下面的“社区（村）”只列出所选街道或区县的社区。"
          style={{ minWidth: 260 }}
        />
        <Button type="submit" variant="default">
          列出社区
        </Button>
      </Group>
    </Form>
  );
}
