import { Button, Checkbox, Fieldset, Group, NativeSelect, Paper, SimpleGrid, Stack, Text, Textarea, TextInput } from "@mantine/core";
import { Form } from "@remix-run/react";
import { CALL_CRITERIA_ROWS } from "../domain/calls/schema";
import { ACTION_TYPE_INFO, ACTION_TYPES, ORGANISATION_TYPES } from "../domain/vocabulary";
import { FormErrorSummary } from "./FormErrorSummary";

export type FormValues = Record<string, string | string[] | undefined>;

/** A repeated field's values as a list, whether the form sent it once, many times or not at all. */
export function listOf(v: string | string[] | undefined): string[] {
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

export interface CallFormProps {
  places: Array<{ value: string; label: string }>;
  pools: Array<{ value: string; label: string }>;
  districts: Array<{ value: string; label: string }>;
  readyIssues: Array<{ id: string; label: string }>;
  values: FormValues;
  fieldErrors?: Record<string, string>;
  formError?: string;
  busy: boolean;
  submitLabel: string;
}

/** The call draft form: plain fields, checkbox lists and fixed rubric rows, so it works without JavaScript. */
export function CallForm({ places, pools, districts, readyIssues, values: v, fieldErrors: e = {}, formError, busy, submitLabel }: CallFormProps) {
  const s = (k: string) => (typeof v[k] === "string" ? (v[k] as string) : "");
  const types = listOf(v.eligibleOrgTypes);
  const chosenDistricts = listOf(v.eligibleDistrictIds);
  const chosenIssues = listOf(v.issueIds);
  const names = listOf(v["criterion.name"]);
  const descriptions = listOf(v["criterion.description"]);
  const weights = listOf(v["criterion.weight"]);
  const rows = Math.max(CALL_CRITERIA_ROWS, names.length);
  return (
    <Paper withBorder p="lg">
      <Form method="post" noValidate>
        <Stack>
          <FormErrorSummary formError={formError} fieldErrors={e} />
          <TextInput size="lg" label="标题" name="title" required defaultValue={s("title")} error={e.title} description="例如“点亮桔灯·社区照明微创投”" />
          <Textarea size="lg" label="榜单说明" name="description" required autosize minRows={4} defaultValue={s("description")} error={e.description} />
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <NativeSelect size="lg" label="发布地区" name="placeId" required defaultValue={s("placeId")} error={e.placeId} data={[{ value: "", label: "请选择" }, ...places]} />
            <NativeSelect
              size="lg"
              label="行动类型"
              name="actionType"
              required
              defaultValue={s("actionType")}
              error={e.actionType}
              data={[{ value: "", label: "请选择" }, ...ACTION_TYPES.map((a) => ({ value: a, label: ACTION_TYPE_INFO[a].name }))]}
            />
          </SimpleGrid>
          <NativeSelect size="lg" label="资金池" name="poolId" required defaultValue={s("poolId")} error={e.poolId} description="本地区或上级地区的资金池；发布时按资金池可用余额核对总预算" data={[{ value: "", label: "请选择" }, ...pools]} />
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput size="lg" label="总预算（元）" name="totalBudget" required inputMode="decimal" defaultValue={s("totalBudget")} error={e.totalBudget} />
            <TextInput size="lg" label="单个项目上限（元）" name="cap" required inputMode="decimal" defaultValue={s("cap")} error={e.cap} />
          </SimpleGrid>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput size="lg" label="开始申报时间" name="opensAt" type="datetime-local" required defaultValue={s("opensAt")} error={e.opensAt} description="北京时间" />
            <TextInput size="lg" label="截止时间" name="closesAt" type="datetime-local" required defaultValue={s("closesAt")} error={e.closesAt} description="北京时间，以服务器时间为准" />
            <TextInput size="lg" label="项目开始日期" name="projectStart" type="date" required defaultValue={s("projectStart")} error={e.projectStart} />
            <TextInput size="lg" label="项目结束日期" name="projectEnd" type="date" required defaultValue={s("projectEnd")} error={e.projectEnd} />
          </SimpleGrid>

          <Fieldset legend="回应的居民议题（不选则为开放申报）">
            {readyIssues.length === 0 ? <Text c="dimmed">暂无“待转入创投”的议题。</Text> : null}
            <Stack gap="xs">
              {readyIssues.map((i) => (
                <Checkbox key={i.id} size="md" name="issueIds" value={i.id} label={i.label} defaultChecked={chosenIssues.includes(i.id)} />
              ))}
            </Stack>
            {e.issueIds ? <Text c="red">{e.issueIds}</Text> : null}
          </Fieldset>

          <Fieldset legend="申报条件：组织类型（不选则不限）">
            <SimpleGrid cols={{ base: 1, xs: 2, md: 3 }}>
              {ORGANISATION_TYPES.map((t) => (
                <Checkbox key={t} size="md" name="eligibleOrgTypes" value={t} label={t} defaultChecked={types.includes(t)} />
              ))}
            </SimpleGrid>
          </Fieldset>
          <Fieldset legend="申报条件：组织所在区县（不选则不限）">
            <SimpleGrid cols={{ base: 1, xs: 2, md: 3 }}>
              {districts.map((d) => (
                <Checkbox key={d.value} size="md" name="eligibleDistrictIds" value={d.value} label={d.label} defaultChecked={chosenDistricts.includes(d.value)} />
              ))}
            </SimpleGrid>
            {e.eligibleDistrictIds ? <Text c="red">{e.eligibleDistrictIds}</Text> : null}
          </Fieldset>

          <Textarea
            size="lg"
            label="必需附件"
            name="requiredAttachments"
            autosize
            minRows={2}
            defaultValue={s("requiredAttachments")}
            error={e.requiredAttachments}
            description="每行一项，例如“登记证书”“项目预算表”"
          />

          <Fieldset legend="评分标准（权重合计 100）">
            {e.criteria ? (
              <Text c="red" mb="xs">
                {e.criteria}
              </Text>
            ) : null}
            <Stack gap="md">
              {Array.from({ length: rows }, (_, i) => (
                <Group key={i} align="flex-start" grow wrap="wrap">
                  <TextInput size="md" label={`评分项 ${i + 1} 名称`} name="criterion.name" defaultValue={names[i] ?? ""} error={e[`criterion.${i}.name`]} style={{ minWidth: 160 }} />
                  <TextInput size="md" label={`评分项 ${i + 1} 说明`} name="criterion.description" defaultValue={descriptions[i] ?? ""} error={e[`criterion.${i}.description`]} style={{ minWidth: 220 }} />
                  <TextInput size="md" label={`评分项 ${i + 1} 权重`} name="criterion.weight" inputMode="numeric" defaultValue={weights[i] ?? ""} error={e[`criterion.${i}.weight`]} style={{ maxWidth: 140, minWidth: 100 }} />
                </Group>
              ))}
            </Stack>
          </Fieldset>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput size="lg" label="每份申报书的评审人数" name="reviewersPerBid" inputMode="numeric" defaultValue={s("reviewersPerBid") || "2"} error={e.reviewersPerBid} />
            <TextInput size="lg" label="公示期（工作日）" name="publicityWorkingDays" inputMode="numeric" defaultValue={s("publicityWorkingDays") || "5"} error={e.publicityWorkingDays} />
          </SimpleGrid>
          <Button type="submit" size="lg" loading={busy}>
            {submitLabel}
          </Button>
        </Stack>
      </Form>
    </Paper>
  );
}
