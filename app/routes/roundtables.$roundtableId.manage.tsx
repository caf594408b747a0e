import { Alert, Anchor, Button, Card, Checkbox, Group, NativeSelect, SimpleGrid, Stack, Text, Textarea, TextInput, Title } from "@mantine/core";
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { FormErrorSummary } from "../components/FormErrorSummary";
import { StatusBadge } from "../components/issues";
import { describeDecision } from "../domain/issues/issues.server";
import { DECISION_KINDS, DECISION_LABELS } from "../domain/issues/rules";
import { getRoundtable, publishMinutes, publishRoundtable, recordAttendance, recordDecision, roundtablePlacePath } from "../domain/roundtables/roundtables.server";
import { attendanceSchema, decisionSchema, minutesSchema } from "../domain/roundtables/schema";
import { ACTION_TYPE_INFO, ACTION_TYPES } from "../domain/vocabulary";
import { formatDateTime } from "../lib/dates";
import { parseForm } from "../lib/form";
import { requirePermission } from "../platform/auth.server";
import { systemClock } from "../platform/clock";
import { getDb } from "../platform/db.server";
import { domainErrorResponse, formValues, invalid, notFound } from "../platform/http.server";

export const meta: MetaFunction = () => [{ title: "管理圆桌会 · 邻里守望" }];

const ID = /^[0-9a-f-]{36}$/;

async function gate(request: Request, context: LoaderFunctionArgs["context"], id: string) {
  const placePath = ID.test(id) ? await roundtablePlacePath(getDb(), id) : undefined;
  if (!placePath) notFound("圆桌会不存在");
  return requirePermission(request, context, "roundtable.manage", { placePath });
}

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const id = params.roundtableId ?? "";
  await gate(request, context, id);
  const rt = await getRoundtable(getDb(), id, null);
  if (!rt) notFound("圆桌会不存在");
  return { rt };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const id = params.roundtableId ?? "";
  const { audit } = await gate(request, context, id);
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "");
  const values = { ...formValues(form), intent };
  const db = getDb();
  try {
    if (intent === "publish") {
      await db.transaction().execute((trx) => publishRoundtable(trx, audit, id, systemClock));
      return data({ ok: true as const, message: "已发布，居民现在可以报名" });
    }
    if (intent === "attendance") {
      const parsed = parseForm(attendanceSchema, form, ["attended"]);
      if (!parsed.ok) return invalid({ fieldErrors: parsed.fieldErrors, values });
      const r = await db.transaction().execute((trx) => recordAttendance(trx, audit, id, parsed.data));
      return data({ ok: true as const, message: `已记录到会 ${r.count} 人` });
    }
    if (intent === "minutes") {
      const parsed = parseForm(minutesSchema, form);
      if (!parsed.ok) return invalid({ fieldErrors: parsed.fieldErrors, values });
      await db.transaction().execute((trx) => publishMinutes(trx, audit, id, parsed.data.minutes, systemClock));
      return data({ ok: true as const, message: "会议纪要已公布" });
    }
    if (intent === "decision") {
      const parsed = parseForm(decisionSchema, form);
      if (!parsed.ok) return invalid({ fieldErrors: parsed.fieldErrors, values });
      await db.transaction().execute((trx) => recordDecision(trx, audit, id, parsed.data, systemClock));
      return data({ ok: true as const, message: "议定结果已记录" });
    }
    return invalid({ formError: "未知操作" });
  } catch (e) {
    return domainErrorResponse(e, values);
  }
}

export default function ManageRoundtable() {
  const { rt } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [params] = useSearchParams();
  const busy = useNavigation().state === "submitting";
  const errors = result && !result.ok ? result : undefined;
  const v = (errors?.values ?? {}) as Record<string, string>;
  const attendedIds = new Set(rt.attendance.filter((a) => a.userId).map((a) => a.userId));
  const walkIns = rt.attendance.filter((a) => a.walkIn).map((a) => a.name);
  return (
    <Stack maw={900} mx="auto" gap="lg">
      <Title order={1}>管理：{rt.title}</Title>
      <Text>
        {formatDateTime(rt.startsAt)} · {rt.placeName} · {rt.venue} ·{" "}
        <Anchor component={Link} to={`/roundtables/${rt.id}`}>
          查看公开页面
        </Anchor>
      </Text>
      {params.get("created") && !result ? (
        <Alert color="teal" role="status">
          圆桌会草稿已保存。确认无误后请发布。
        </Alert>
      ) : null}
      {result?.ok ? (
        <Alert color="teal" role="status">
          {result.message}
        </Alert>
      ) : null}
      <FormErrorSummary formError={errors?.formError} fieldErrors={errors?.fieldErrors} />

      {rt.status === "draft" ? (
        <Card withBorder>
          <Text mb="sm">草稿尚未公开。发布后议程中的议题将标记为“已上会”，居民可以报名。</Text>
          <Form method="post">
            <input type="hidden" name="intent" value="publish" />
            <Button type="submit" loading={busy}>
              发布圆桌会
            </Button>
          </Form>
        </Card>
      ) : (
        <>
          <Card withBorder component="section" aria-labelledby="attendance-title">
            <Title order={2} size="h3" id="attendance-title" mb="sm">
              签到（到会人员）
            </Title>
            <Form method="post">
              <input type="hidden" name="intent" value="attendance" />
              <Stack gap="xs">
                {rt.signups.length === 0 ? <Text c="dimmed">暂无报名。</Text> : null}
                {rt.signups.map((s) => (
                  <Checkbox key={s.userId} name="attended" value={s.userId} defaultChecked={attendedIds.has(s.userId)} label={`${s.name}${s.status === "waitlisted" ? "（候补）" : ""}`} size="md" />
                ))}
                <Textarea label="现场参会（未报名）人员" description="每行一个姓名" name="walkIns" autosize minRows={2} defaultValue={walkIns.join("\n")} error={errors?.fieldErrors?.walkIns} />
                <Button type="submit" w="fit-content" loading={busy}>
                  保存签到
                </Button>
              </Stack>
            </Form>
          </Card>

          <Card withBorder component="section" aria-labelledby="decisions-title">
            <Title order={2} size="h3" id="decisions-title" mb="sm">
              逐项议定
            </Title>
            <Stack>
              {rt.agenda.map((a, i) => {
                const d = rt.decisions.find((x) => x.issueId === a.id);
                const mine = v.intent === "decision" && v.issueId === a.id;
                const fe = mine ? (errors?.fieldErrors ?? {}) : {};
                return (
                  <Card key={a.id} withBorder padding="sm" component="article" aria-label={`议程 ${i + 1}：${a.title}`}>
                    <Group gap="xs" mb="xs">
                      <Text fw={700}>
                        {i + 1}. {a.title}
                      </Text>
                      <StatusBadge status={a.status} />
                    </Group>
                    {d ? (
                      <Text>{describeDecision(d)}</Text>
                    ) : a.status !== "scheduled" ? (
                      <Text c="dimmed">该议题当前不在“已上会”状态，不能议定。</Text>
                    ) : (
                      <Form method="post">
                        <input type="hidden" name="intent" value="decision" />
                        <input type="hidden" name="issueId" value={a.id} />
                        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
                          <NativeSelect
                            label="议定结果"
                            name="kind"
                            defaultValue={mine ? v.kind : ""}
                            error={fe.kind}
                            data={[{ value: "", label: "请选择" }, ...DECISION_KINDS.map((k) => ({ value: k, label: DECISION_LABELS[k] }))]}
                          />
                          <NativeSelect
                            label="行动类型（转入创投时）"
                            name="actionType"
                            defaultValue={mine ? v.actionType : ""}
                            error={fe.actionType}
                            data={[{ value: "", label: "请选择" }, ...ACTION_TYPES.map((t) => ({ value: t, label: ACTION_TYPE_INFO[t].name }))]}
                          />
                          <TextInput label="预算估算（元，转入创投时）" name="budgetEstimate" inputMode="decimal" defaultValue={mine ? v.budgetEstimate : ""} error={fe.budgetEstimate} />
                          <TextInput label="负责人（社区自办时）" name="responsible" defaultValue={mine ? v.responsible : ""} error={fe.responsible} />
                          <TextInput label="完成日期（社区自办时）" type="date" name="dueDate" defaultValue={mine ? v.dueDate : ""} error={fe.dueDate} />
                          <TextInput label="转介单位（转介时）" name="referredTo" defaultValue={mine ? v.referredTo : ""} error={fe.referredTo} />
                          <TextInput label="理由（暂缓/不予采纳时必填）" name="reason" defaultValue={mine ? v.reason : ""} error={fe.reason} />
                          <Group grow gap="xs">
                            <TextInput label="赞成" name="votesFor" inputMode="numeric" defaultValue={mine ? v.votesFor : ""} error={fe.votesFor} />
                            <TextInput label="反对" name="votesAgainst" inputMode="numeric" defaultValue={mine ? v.votesAgainst : ""} error={fe.votesAgainst} />
                            <TextInput label="弃权" name="votesAbstain" inputMode="numeric" defaultValue={mine ? v.votesAbstain : ""} error={fe.votesAbstain} />
                          </Group>
                        </SimpleGrid>
                        <Button type="submit" mt="sm" loading={busy} aria-label={`记录议定：${a.title}`}>
                          记录议定
                        </Button>
                      </Form>
                    )}
                  </Card>
                );
              })}
            </Stack>
          </Card>

          <Card withBorder component="section" aria-labelledby="minutes-title">
            <Title order={2} size="h3" id="minutes-title" mb="sm">
              会议纪要
            </Title>
            <Form method="post">
              <input type="hidden" name="intent" value="minutes" />
              <Textarea
                label="纪要内容"
                description="空一行分段；以“- ”开头的行显示为列表；**两个星号之间**的文字加粗。不支持 HTML。"
                name="minutes"
                autosize
                minRows={6}
                defaultValue={v.intent === "minutes" ? v.minutes : (rt.minutes ?? "")}
                error={v.intent === "minutes" ? errors?.fieldErrors?.minutes : undefined}
              />
              <Button type="submit" mt="sm" loading={busy}>
                公布纪要
              </Button>
            </Form>
          </Card>
        </>
      )}
    </Stack>
  );
}
