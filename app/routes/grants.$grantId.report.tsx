import { Anchor, Button, Card, Group, NativeSelect, NumberInput, Stack, Text, Textarea, TextInput, Title } from "@mantine/core";
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { FormErrorSummary } from "../components/FormErrorSummary";
import { BUDGET_CATEGORIES } from "../domain/calls/rules";
import { grantScope, submitReport } from "../domain/grants/grants.server";
import { MAX_EVIDENCE_BYTES, MAX_EVIDENCE_FILES } from "../domain/grants/rules";
import { getGrant, listReports } from "../domain/grants/queries.server";
import { parseReportForm, REPORT_ROWS } from "../domain/grants/schema";
import { requirePermission } from "../platform/auth.server";
import { systemClock } from "../platform/clock";
import { getDb } from "../platform/db.server";
import { domainErrorResponse, formValues, invalid, notFound } from "../platform/http.server";
import { readMultipartForm } from "../platform/multipart.server";

export const meta: MetaFunction = () => [{ title: "里程碑报告 · 邻里守望" }];

const positionSchema = z.coerce.number().int().positive();

async function load(request: Request, params: { grantId?: string }) {
  const scope = await grantScope(getDb(), params.grantId ?? "");
  if (!scope) notFound("项目不存在");
  const position = positionSchema.safeParse(new URL(request.url).searchParams.get("position") ?? "1");
  if (!position.success) notFound("里程碑不存在");
  return { grantId: params.grantId!, scope, position: position.data };
}

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { grantId, scope, position } = await load(request, params);
  await requirePermission(request, context, "grant.report", scope);
  const grant = (await getGrant(getDb(), grantId))!;
  const milestone = grant.milestones.find((m) => m.position === position);
  if (!milestone) notFound("里程碑不存在");
  const previous = (await listReports(getDb(), grantId)).find((r) => r.position === position);
  return { grant: { id: grant.id, projectName: grant.projectName, status: grant.status }, milestone, previous: previous ?? null };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { grantId, scope, position } = await load(request, params);
  const { audit } = await requirePermission(request, context, "grant.report", scope);
  const upload = await readMultipartForm(request, "evidence", { maxBytes: MAX_EVIDENCE_BYTES, maxFiles: MAX_EVIDENCE_FILES });
  if (!upload) return invalid({ formError: "请通过页面上的表单提交" });
  const parsed = parseReportForm(upload.form);
  if (!parsed.ok) return invalid({ fieldErrors: parsed.fieldErrors, values: parsed.values });
  if (upload.errors.length > 0) return invalid({ formError: upload.errors.join("；"), values: formValues(upload.form) });
  try {
    await getDb()
      .transaction()
      .execute((trx) => submitReport(trx, audit, grantId, position, parsed.data, upload.files, systemClock));
  } catch (e) {
    return domainErrorResponse(e, formValues(upload.form));
  }
  throw redirect(`/grants/${grantId}?reported=${position}`);
}

export default function ReportForm() {
  const { grant, milestone, previous } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const v = (result && !result.ok ? result.values : undefined) ?? {};
  const fe = (result && !result.ok ? result.fieldErrors : undefined) ?? {};
  const val = (k: string) => String(v[k] ?? "");
  return (
    <Stack maw={900} mx="auto" gap="md">
      <Title order={1}>
        里程碑报告：第 {milestone.position} 期「{milestone.title}」
      </Title>
      <Text>
        项目「
        <Anchor component={Link} to={`/grants/${grant.id}`}>
          {grant.projectName}
        </Anchor>
        」。交付成果：{milestone.deliverable}
      </Text>
      {previous?.status === "returned" ? (
        <Card withBorder bg="yellow.0">
          <Text fw={600}>上次报告被退回修改</Text>
          <Text>{previous.officerComment || previous.liaisonComment || "（无意见）"}</Text>
        </Card>
      ) : null}
      <Form method="post" encType="multipart/form-data" noValidate>
        <Stack gap="md">
          <FormErrorSummary formError={result && !result.ok ? result.formError : undefined} fieldErrors={fe} />
          <Textarea size="lg" name="narrative" label="进展说明" minRows={4} defaultValue={val("narrative")} error={fe.narrative} />
          <Group grow align="flex-start">
            <NumberInput size="lg" name="beneficiaryCount" label="服务人数" min={0} defaultValue={val("beneficiaryCount")} error={fe.beneficiaryCount} />
            <TextInput size="lg" name="beneficiaryGroup" label="服务对象" description="例如：楼栋居民、独居老人" defaultValue={val("beneficiaryGroup")} error={fe.beneficiaryGroup} />
          </Group>
          <fieldset style={{ border: 0, padding: 0 }}>
            <legend>
              <Text fw={600}>开展的活动</Text>
            </legend>
            <Stack gap="xs">
              {Array.from({ length: REPORT_ROWS.activity }, (_, i) => i + 1).map((i) => (
                <Group key={i} grow align="flex-start">
                  <TextInput size="lg" type="date" name={`activityDate${i}`} label={`活动 ${i} 日期`} defaultValue={val(`activityDate${i}`)} error={fe[`activityDate${i}`]} />
                  <TextInput size="lg" name={`activityText${i}`} label={`活动 ${i} 内容`} defaultValue={val(`activityText${i}`)} error={fe[`activityText${i}`]} />
                </Group>
              ))}
            </Stack>
          </fieldset>
          <fieldset style={{ border: 0, padding: 0 }}>
            <legend>
              <Text fw={600}>对照预算的支出</Text>
            </legend>
            <Stack gap="xs">
              {Array.from({ length: REPORT_ROWS.spending }, (_, i) => i + 1).map((i) => (
                <Group key={i} grow align="flex-start">
                  <NativeSelect size="lg" name={`spendCategory${i}`} label={`支出 ${i} 预算科目`} data={[...BUDGET_CATEGORIES]} defaultValue={val(`spendCategory${i}`) || "物资"} />
                  <TextInput size="lg" name={`spendText${i}`} label={`支出 ${i} 说明`} defaultValue={val(`spendText${i}`)} error={fe[`spendText${i}`]} />
                  <TextInput size="lg" name={`spendAmount${i}`} label={`支出 ${i} 金额（元）`} inputMode="decimal" defaultValue={val(`spendAmount${i}`)} error={fe[`spendAmount${i}`]} />
                </Group>
              ))}
            </Stack>
          </fieldset>
          <Textarea size="lg" name="inKindReceived" label="实际收到的实物支持" description="例如：太阳能庭院灯 10 盏" minRows={2} defaultValue={val("inKindReceived")} error={fe.inKindReceived} />
          <div>
            <label htmlFor="evidence">
              <Text fw={600}>佐证材料</Text>
              <Text size="sm" c="dimmed">
                照片、签到表、文件的照片或扫描图（JPEG/PNG/WebP，每个不超过 5 MB，最多 {MAX_EVIDENCE_FILES} 个；位置等元数据会被去除）
              </Text>
            </label>
            <input id="evidence" type="file" name="evidence" multiple accept="image/jpeg,image/png,image/webp" className="file-input" />
          </div>
          <Button type="submit" size="lg" w="fit-content">
            提交报告
          </Button>
        </Stack>
      </Form>
    </Stack>
  );
}
