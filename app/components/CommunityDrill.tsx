import { DrillForm } from "./DrillForm";

/**
 * The first step of a staff form whose scope holds too many communities for one select box
 * (communityChoices): choose a 街道 or 区县, and the form's 社区（村） select lists its communities.
 */
export function CommunityDrill({ options, at, hidden = {} }: { options: Array<{ value: string; label: string }>; at: string; hidden?: Record<string, string> }) {
  return (
    <DrillForm
      title="先选择街道或区县"
      name="at"
      label="所在街道或区县"
      description="您负责的社区较多：先选择街道或区县，再点“列出社区”，下面的“社区（村）”只列出所选街道或区县的社区。"
      button="列出社区"
      options={options}
      value={at}
      hidden={hidden}
    />
  );
}
