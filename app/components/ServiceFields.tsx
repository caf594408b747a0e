import { Checkbox, Group, NativeSelect, Stack, Text, TextInput, Textarea } from "@mantine/core";
import { SERVICE_KINDS } from "../domain/care/schema";

/** The fields of a service log, shared with /care/my. Photos are not taken here (see docs/decisions/0004-care-privacy.md). */
export function ServiceFields({
  today,
  value,
  errors,
  photosConsented,
}: {
  today: string;
  value: (k: string, d?: string) => string;
  errors?: Record<string, string>;
  photosConsented?: boolean;
}) {
  return (
    <Stack gap="sm">
      <Group align="flex-end">
        <TextInput label="服务日期" name="servedOn" type="date" defaultValue={value("servedOn", today)} error={errors?.servedOn} />
        <NativeSelect label="服务类型" name="kind" defaultValue={value("kind", "亲情陪伴")} error={errors?.kind} data={[...SERVICE_KINDS]} />
        <TextInput label="其他类型（选“其他”时填写）" name="otherKind" defaultValue={value("otherKind")} error={errors?.otherKind} />
        <TextInput label="时长（分钟）" name="durationMinutes" type="number" inputMode="numeric" min={1} max={1440} defaultValue={value("durationMinutes", "60")} error={errors?.durationMinutes} />
      </Group>
      <Textarea label="服务记录" name="notes" autosize minRows={2} defaultValue={value("notes")} error={errors?.notes} />
      <Checkbox name="followUp" label="需要后续跟进" defaultChecked={value("followUp") === "on"} />
      {photosConsented !== undefined ? (
        <Text size="sm" c="dimmed">
          {photosConsented ? "对象已同意拍照；本平台暂不接收照片上传，请按机构规定另行保存。" : "对象未同意拍照，请勿拍摄或上传照片。"}
        </Text>
      ) : null}
    </Stack>
  );
}
