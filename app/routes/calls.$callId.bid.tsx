import { Alert, Anchor, Button, Checkbox, Fieldset, Group, Input, NativeSelect, Paper, SimpleGrid, Stack, Text, Textarea, TextInput, Title } from "@mantine/core";
import {
  data,
  unstable_composeUploadHandlers,
  unstable_createMemoryUploadHandler,
  unstable_parseMultipartFormData,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
  type UploadHandler,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { BidView } from "../components/BidView";
import { listOf, type FormValues } from "../components/CallForm";
import { FormErrorSummary } from "../components/FormErrorSummary";
import { findBid, getBid, MAX_ATTACHMENT_BYTES, OTHER_ATTACHMENT, saveBidDraft, submitBid, withdrawBid, type AttachmentUpload } from "../domain/calls/bids.server";
import { getCall } from "../domain/calls/calls.server";
import { BID_STATUS_LABELS, BUDGET_CATEGORIES, callPhase, PLEDGE_KIND_LABELS } from "../domain/calls/rules";
import { BID_ROW_FIELDS, BID_ROWS, parseBidForm } from "../domain/calls/schema";
import { organisationScope } from "../domain/organisations/organisations.server";
import { formatDateTime } from "../lib/dates";
import { rawValues } from "../lib/form";
import { fenToYuanString, formatYuan } from "../lib/money";
import { requirePermission } from "../platform/auth.server";
import { systemClock } from "../platform/clock";
import { getDb } from "../platform/db.server";
import { DomainError } from "../platform/errors";
import { domainErrorResponse, invalid, notFound, readFormOr400 } from "../platform/http.server";

export const meta: MetaFunction = () => [{ title: "项目申报书 · 邻里守望" }];

const ID = /^[0-9a-f-]{36}$/;
type RowKind = keyof typeof BID_ROWS;
const ROW_KINDS = Object.keys(BID_ROWS) as RowKind[];

/** The call, the organisation and the member's permission to bid for it (bid.submit on that organisation). */
async function gate(request: Request, context: LoaderFunctionArgs["context"], callId: string) {
  const orgId = new URL(request.url).searchParams.get("org") ?? "";
  const call = ID.test(callId) ? await getCall(getDb(), callId) : undefined;
  const scope = ID.test(orgId) ? await organisationScope(getDb(), orgId) : undefined;
  if (!call || call.status === "draft" || !scope) notFound("招贤榜或组织不存在");
  const { audit } = await requirePermission(request, context, "bid.submit", scope);
  return { call, organisationId: orgId, audit };
}

function bidValues(bid: NonNullable<Awaited<ReturnType<typeof getBid>>>): FormValues {
  return {
    projectName: bid.projectName,
    summary: bid.summary,
    beneficiaryGroup: bid.beneficiaryGroup,
    beneficiaryCount: bid.beneficiaryCount == null ? "" : String(bid.beneficiaryCount),
    plan: bid.plan,
    leadName: bid.leadName,
    leadPhone: bid.leadPhone,
    issueIds: bid.issues.map((i) => i.id),
    "line.category": bid.lines.map((l) => l.category),
    "line.description": bid.lines.map((l) => l.description),
    "line.amountFen": bid.lines.map((l) => fenToYuanString(l.amountFen)),
    "pledge.source": bid.pledges.map((p) => p.source),
    "pledge.kind": bid.pledges.map((p) => p.kind),
    "pledge.description": bid.pledges.map((p) => p.description),
    "pledge.valueFen": bid.pledges.map((p) => fenToYuanString(p.valueFen)),
    "milestone.title": bid.milestones.map((m) => m.title),
    "milestone.deliverable": bid.milestones.map((m) => m.deliverable),
    "milestone.dueDate": bid.milestones.map((m) => m.dueDate),
    "milestone.tranchePct": bid.milestones.map((m) => String(m.tranchePct)),
  };
}

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { call, organisationId } = await gate(request, context, params.callId ?? "");
  const db = getDb();
  const bidId = await findBid(db, call.id, organisationId);
  const bid = bidId ? await getBid(db, bidId) : undefined;
  return {
    call,
    phase: callPhase(call, systemClock.now()),
    bid: bid ?? null,
    values: bid ? bidValues(bid) : ({ issueIds: call.issues.map((i) => i.id) } as FormValues),
  };
}

/** Files up to 10 MB each are read into memory; a larger one is reported by name, the rest of the form kept. */
function attachmentHandler(): UploadHandler {
  return async ({ name, filename, data: stream }) => {
    if (!name.startsWith("attachment.")) return undefined;
    const chunks: Uint8Array[] = [];
    let size = 0;
    for await (const chunk of stream) {
      size += chunk.byteLength;
      if (size <= MAX_ATTACHMENT_BYTES) chunks.push(chunk);
    }
    if (!filename || size === 0) return "";
    if (size > MAX_ATTACHMENT_BYTES) return `too-large:${filename}`;
    return new File(chunks as BlobPart[], filename);
  };
}

async function uploadsOf(form: FormData, required: readonly string[]): Promise<AttachmentUpload[]> {
  const out: AttachmentUpload[] = [];
  for (const [key, v] of form) {
    if (!key.startsWith("attachment.")) continue;
    const slot = key.slice("attachment.".length);
    const name = slot === "other" ? OTHER_ATTACHMENT : required[Number(slot)];
    if (!name) continue;
    if (typeof v === "string") {
      if (v.startsWith("too-large:")) throw new DomainError("invalid", `附件「${v.slice(10)}」超过 10 MB`, { attachments: "单个附件不能超过 10 MB" });
      continue;
    }
    out.push({ name, fileName: v.name, bytes: new Uint8Array(await v.arrayBuffer()) });
  }
  return out;
}

function rowCounts(form: FormData, add?: RowKind): Record<RowKind, number> {
  const counts = Object.fromEntries(
    ROW_KINDS.map((k) => [k, Math.min(30, Math.max(BID_ROWS[k], Number(form.get(`rows.${k}`)) || 0, form.getAll(`${k}.${BID_ROW_FIELDS[k][0]}`).length))]),
  ) as Record<RowKind, number>;
  if (add) counts[add] = Math.min(30, counts[add] + 1);
  return counts;
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { call, organisationId, audit } = await gate(request, context, params.callId ?? "");
  const form = await readFormOr400(() =>
    unstable_parseMultipartFormData(request, unstable_composeUploadHandlers(attachmentHandler(), unstable_createMemoryUploadHandler({ maxPartSize: 200_000 }))),
  );
  const intent = String(form.get("intent") ?? "save");
  const db = getDb();
  const add = ROW_KINDS.find((k) => intent === `add.${k}`);
  if (add) return data({ ok: false as const, added: true, rows: rowCounts(form, add), values: rawValues(form), fieldErrors: undefined, formError: undefined });
  try {
    if (intent === "withdraw") {
      const bidId = await findBid(db, call.id, organisationId);
      if (!bidId) notFound("申报书不存在");
      await db.transaction().execute((trx) => withdrawBid(trx, audit, bidId, systemClock));
      return data({ ok: true as const, message: "申报书已撤回。截止前可修改后重新提交。" });
    }
    const parsed = parseBidForm(form);
    if (!parsed.ok) return invalid({ fieldErrors: parsed.fieldErrors, formError: parsed.formError ?? "请修改以下内容后再提交（已选择的附件需重新选择）", values: parsed.values });
    const uploads = await uploadsOf(form, call.requiredAttachments);
    const { id } = await db.transaction().execute((trx) => saveBidDraft(trx, audit, { callId: call.id, organisationId }, parsed.data, uploads, systemClock));
    if (intent === "submit") {
      try {
        await db.transaction().execute((trx) => submitBid(trx, audit, id, systemClock));
      } catch (e) {
        // The draft is saved; the page shows it again with the reasons it cannot be submitted yet.
        if (e instanceof DomainError) return data({ ok: false as const, formError: `草稿已保存。${e.message}`, fieldErrors: e.fieldErrors }, { status: 400 });
        throw e;
      }
      return data({ ok: true as const, message: "申报书已提交" });
    }
    return data({ ok: true as const, message: "草稿已保存" });
  } catch (e) {
    return domainErrorResponse(e, rawValues(form));
  }
}

function Rows({ kind, count, values: v, errors: e }: { kind: RowKind; count: number; values: FormValues; errors: Record<string, string> }) {
  const col = (f: string) => listOf(v[`${kind}.${f}`]);
  return (
    <Stack gap="md">
      {Array.from({ length: count }, (_, i) => {
        const err = (f: string) => e[`${kind}.${i}.${f}`];
        const n = i + 1;
        if (kind === "line") {
          return (
            <Group key={i} grow align="flex-start" wrap="wrap">
              <NativeSelect size="md" label={`预算 ${n} 类别`} name="line.category" defaultValue={col("category")[i] ?? ""} error={err("category")} data={[{ value: "", label: "请选择" }, ...BUDGET_CATEGORIES]} style={{ minWidth: 120 }} />
              <TextInput size="md" label={`预算 ${n} 说明`} name="line.description" defaultValue={col("description")[i] ?? ""} error={err("description")} style={{ minWidth: 200 }} />
              <TextInput size="md" label={`预算 ${n} 金额（元）`} name="line.amountFen" inputMode="decimal" defaultValue={col("amountFen")[i] ?? ""} error={err("amountFen")} style={{ minWidth: 140 }} />
            </Group>
          );
        }
        if (kind === "pledge") {
          return (
            <Group key={i} grow align="flex-start" wrap="wrap">
              <TextInput size="md" label={`配套 ${n} 出资方`} name="pledge.source" defaultValue={col("source")[i] ?? ""} error={err("source")} style={{ minWidth: 160 }} />
              <NativeSelect
                size="md"
                label={`配套 ${n} 形式`}
                name="pledge.kind"
                defaultValue={col("kind")[i] ?? ""}
                error={err("kind")}
                data={[{ value: "", label: "请选择" }, ...Object.entries(PLEDGE_KIND_LABELS).map(([value, label]) => ({ value, label }))]}
                style={{ minWidth: 120 }}
              />
              <TextInput size="md" label={`配套 ${n} 内容`} name="pledge.description" defaultValue={col("description")[i] ?? ""} error={err("description")} style={{ minWidth: 200 }} />
              <TextInput size="md" label={`配套 ${n} 价值（元）`} name="pledge.valueFen" inputMode="decimal" defaultValue={col("valueFen")[i] ?? ""} error={err("valueFen")} style={{ minWidth: 140 }} />
            </Group>
          );
        }
        return (
          <Group key={i} grow align="flex-start" wrap="wrap">
            <TextInput size="md" label={`里程碑 ${n} 名称`} name="milestone.title" defaultValue={col("title")[i] ?? ""} error={err("title")} style={{ minWidth: 160 }} />
            <TextInput size="md" label={`里程碑 ${n} 交付成果`} name="milestone.deliverable" defaultValue={col("deliverable")[i] ?? ""} error={err("deliverable")} style={{ minWidth: 200 }} />
            <TextInput size="md" type="date" label={`里程碑 ${n} 完成日期`} name="milestone.dueDate" defaultValue={col("dueDate")[i] ?? ""} error={err("dueDate")} style={{ minWidth: 150 }} />
            <TextInput size="md" label={`里程碑 ${n} 拨付比例（%）`} name="milestone.tranchePct" inputMode="numeric" defaultValue={col("tranchePct")[i] ?? ""} error={err("tranchePct")} style={{ minWidth: 120 }} />
          </Group>
        );
      })}
    </Stack>
  );
}

/** A native file input (works without JavaScript) with a real label. */
function FilePicker({ id, name, label, hint }: { id: string; name: string; label: string; hint?: string }) {
  return (
    <Input.Wrapper label={label} description={hint} id={id} size="md">
      <input type="file" id={id} name={name} accept=".pdf,.jpg,.jpeg,.png,.docx,.xlsx" style={{ display: "block", minHeight: 48, paddingBlock: 8 }} />
    </Input.Wrapper>
  );
}

export default function BidPage() {
  const { call, phase, bid, values } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const failed = result && !result.ok ? result : undefined;
  const v = (failed && "values" in failed && failed.values ? failed.values : values) as FormValues;
  const e = failed?.fieldErrors ?? {};
  const counts = (failed && "rows" in failed ? failed.rows : {}) as Partial<Record<RowKind, number>>;
  const rows = (k: RowKind) => counts[k] ?? Math.max(BID_ROWS[k], listOf(v[`${k}.${BID_ROW_FIELDS[k][0]}`]).length);
  const s = (k: string) => (typeof v[k] === "string" ? (v[k] as string) : "");
  const chosenIssues = listOf(v.issueIds);
  const editable = phase === "open" && bid?.status !== "submitted";
  return (
    <Stack maw={1000} mx="auto" gap="lg">
      <Stack gap={4}>
        <Title order={1}>项目申报书</Title>
        <Text>
          <Anchor component={Link} to={`/calls/${call.id}`}>
            {call.title}
          </Anchor>{" "}
          · 单个项目上限 {formatYuan(call.capFen)} · 截止 {formatDateTime(call.closesAt)}（以服务器时间为准）
        </Text>
        {bid ? <Text data-testid="bid-status">状态：{BID_STATUS_LABELS[bid.status]}</Text> : null}
      </Stack>
      {result?.ok ? (
        <Alert color="teal" role="status">
          {result.message}
        </Alert>
      ) : null}
      {failed && "added" in failed ? (
        <Alert color="blue" role="status">
          已添加一行（尚未保存）。
        </Alert>
      ) : null}
      {phase !== "open" && bid?.status !== "submitted" ? <Alert color="gray">申报不在受理时间内，申报书不能修改。</Alert> : null}

      {bid?.status === "submitted" ? (
        <Paper withBorder p="lg">
          <BidView bid={bid} />
          {phase === "open" ? (
            <Form method="post" encType="multipart/form-data">
              <input type="hidden" name="intent" value="withdraw" />
              <Text mt="md" size="sm" c="dimmed">
                已提交的申报书不能修改；截止前可撤回，修改后重新提交。
              </Text>
              <Button type="submit" color="red" variant="light" size="lg" mt="xs" loading={busy}>
                撤回申报书
              </Button>
            </Form>
          ) : null}
        </Paper>
      ) : editable ? (
        <Paper withBorder p="lg">
          <Form method="post" encType="multipart/form-data" noValidate>
            {ROW_KINDS.map((k) => (
              <input key={k} type="hidden" name={`rows.${k}`} value={rows(k)} />
            ))}
            <Stack>
              <FormErrorSummary formError={failed?.formError} fieldErrors={failed && "added" in failed ? undefined : e} />
              <TextInput size="lg" label="项目名称" name="projectName" required defaultValue={s("projectName")} error={e.projectName} />
              <Textarea size="lg" label="项目概述" name="summary" autosize minRows={3} defaultValue={s("summary")} error={e.summary} />
              <SimpleGrid cols={{ base: 1, sm: 2 }}>
                <TextInput size="lg" label="服务对象" name="beneficiaryGroup" defaultValue={s("beneficiaryGroup")} error={e.beneficiaryGroup} description="例如“独居老人”“困境儿童”" />
                <TextInput size="lg" label="服务对象人数" name="beneficiaryCount" inputMode="numeric" defaultValue={s("beneficiaryCount")} error={e.beneficiaryCount} />
              </SimpleGrid>
              <Textarea size="lg" label="实施计划" name="plan" autosize minRows={4} defaultValue={s("plan")} error={e.plan} />
              <SimpleGrid cols={{ base: 1, sm: 2 }}>
                <TextInput size="lg" label="项目负责人" name="leadName" defaultValue={s("leadName")} error={e.leadName} />
                <TextInput size="lg" label="负责人电话" name="leadPhone" inputMode="tel" defaultValue={s("leadPhone")} error={e.leadPhone} />
              </SimpleGrid>
              {call.issues.length ? (
                <Fieldset legend="回应的议题">
                  <Stack gap="xs">
                    {call.issues.map((i) => (
                      <Checkbox key={i.id} size="md" name="issueIds" value={i.id} label={i.title} defaultChecked={chosenIssues.includes(i.id)} />
                    ))}
                  </Stack>
                </Fieldset>
              ) : null}
              <Fieldset legend="预算明细（空行不计）">
                {e.lines ? <Text c="red">{e.lines}</Text> : null}
                <Rows kind="line" count={rows("line")} values={v} errors={e} />
                <Button type="submit" name="intent" value="add.line" variant="subtle" mt="xs" size="md">
                  添加一行预算
                </Button>
              </Fieldset>
              <Fieldset legend="配套资金与实物支持（撬动资源，空行不计）">
                <Rows kind="pledge" count={rows("pledge")} values={v} errors={e} />
                <Button type="submit" name="intent" value="add.pledge" variant="subtle" mt="xs" size="md">
                  添加一行配套
                </Button>
              </Fieldset>
              <Fieldset legend="里程碑与分期拨付（比例合计 100%）">
                {e.milestones ? <Text c="red">{e.milestones}</Text> : null}
                <Rows kind="milestone" count={rows("milestone")} values={v} errors={e} />
                <Button type="submit" name="intent" value="add.milestone" variant="subtle" mt="xs" size="md">
                  添加一行里程碑
                </Button>
              </Fieldset>
              <Fieldset legend="附件（PDF、图片、Word 或 Excel，单个不超过 10 MB）">
                {e.attachments ? <Text c="red">{e.attachments}</Text> : null}
                <Stack gap="xs">
                  {call.requiredAttachments.map((name, i) => {
                    const have = bid?.attachments.find((a) => a.name === name);
                    return <FilePicker key={name} id={`attachment-${i}`} name={`attachment.${i}`} label={`${name}（必需）`} hint={have ? `已上传：${have.originalName}，重新选择可替换` : undefined} />;
                  })}
                  <FilePicker id="attachment-other" name="attachment.other" label="其他材料（可选）" />
                </Stack>
              </Fieldset>
              <Group>
                <Button type="submit" name="intent" value="save" size="lg" variant="light" loading={busy}>
                  保存草稿
                </Button>
                <Button type="submit" name="intent" value="submit" size="lg" loading={busy}>
                  提交申报书
                </Button>
              </Group>
            </Stack>
          </Form>
        </Paper>
      ) : bid ? (
        <Paper withBorder p="lg">
          <BidView bid={bid} />
        </Paper>
      ) : null}
    </Stack>
  );
}
