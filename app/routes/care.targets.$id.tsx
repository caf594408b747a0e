import { Alert, Anchor, Badge, Button, Card, Group, NativeSelect, SimpleGrid, Stack, Table, Text, TextInput, Title } from "@mantine/core";
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import type { ReactNode } from "react";
import { FormErrorSummary } from "../components/FormErrorSummary";
import { careActor } from "../domain/care/access.server";
import { endMatch, logService, matchTarget, readTarget, recordOutcome, todayOf } from "../domain/care/care.server";
import { SERVICE_GAP_DAYS } from "../domain/care/rules";
import { CARE_SOURCE_LABELS, CARER_KIND_LABELS, CARER_KINDS, CONSENT_METHOD_LABELS, endMatchSchema, matchSchema, outcomeSchema, serviceSchema } from "../domain/care/schema";
import { ServiceFields } from "../components/ServiceFields";
import { formatDate, formatDateTime } from "../lib/dates";
import { parseForm } from "../lib/form";
import { auditContext, requireUser } from "../platform/auth.server";
import { systemClock } from "../platform/clock";
import { getDb } from "../platform/db.server";
import { domainErrorResponse, formValues, invalid, throwAsResponse } from "../platform/http.server";

export const meta: MetaFunction = () => [{ title: "关爱对象 · 邻里守望" }];

const DONE: Record<string, string> = { match: "已完成对接", end_match: "已结束对接，服务人员即刻失去查看权限", outcome: "已记录成效", service: "已记录服务" };
const ACTION_LABELS: Record<string, string> = { "care.read": "查看", "care.unmask": "查看完整证件号", "care.create": "录入", "care.match": "对接", "care.match_end": "结束对接", "care.service_log": "记录服务", "care.outcome": "记录成效" };

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const db = getDb();
  try {
    const view = await db.transaction().execute((trx) => readTarget(trx, careActor(user), auditContext(user), systemClock, params.id!));
    const organisations = view.access.isOfficer ? await db.selectFrom("organisations").select(["id", "name"]).orderBy("name").limit(500).execute() : [];
    return data(
      { view, today: todayOf(systemClock), organisations: organisations.map((o) => ({ value: o.id, label: o.name })) },
      { headers: { "Cache-Control": "no-store" } },
    );
  } catch (e) {
    throwAsResponse(e);
  }
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  const actor = careActor(user);
  const ctx = auditContext(user);
  const targetId = params.id!;
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "");
  const values = { ...formValues(form), intent };
  try {
    const db = getDb();
    if (intent === "match") {
      const parsed = parseForm(matchSchema, form);
      if (!parsed.ok) return invalid({ fieldErrors: parsed.fieldErrors, values });
      await db.transaction().execute((trx) => matchTarget(trx, actor, ctx, systemClock, targetId, parsed.data));
    } else if (intent === "end_match") {
      const parsed = parseForm(endMatchSchema, form);
      if (!parsed.ok) return invalid({ fieldErrors: parsed.fieldErrors, values });
      await db.transaction().execute((trx) => endMatch(trx, actor, ctx, systemClock, targetId, parsed.data));
    } else if (intent === "outcome") {
      const parsed = parseForm(outcomeSchema, form);
      if (!parsed.ok) return invalid({ fieldErrors: parsed.fieldErrors, values });
      await db.transaction().execute((trx) => recordOutcome(trx, actor, ctx, systemClock, targetId, parsed.data));
    } else if (intent === "service") {
      form.set("targetId", targetId);
      const parsed = parseForm(serviceSchema, form);
      if (!parsed.ok) return invalid({ fieldErrors: parsed.fieldErrors, values });
      await db.transaction().execute((trx) => logService(trx, actor, ctx, systemClock, parsed.data));
    } else return invalid({ formError: "未知操作" });
    return redirect(`/care/targets/${targetId}?done=${intent}`);
  } catch (e) {
    return domainErrorResponse(e, values);
  }
}

function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <Text c="dimmed" size="sm">
        {label}
      </Text>
      <Text size="md">{children}</Text>
    </div>
  );
}

export default function CareTarget() {
  const { view, today, organisations } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const [params] = useSearchParams();
  const done = DONE[params.get("done") ?? ""];
  const errorsFor = (intent: string) => (result && !result.ok && (result.values?.intent ?? "") === intent ? result : undefined);
  const valueOf = (intent: string, k: string, d = "") => {
    const e = errorsFor(intent);
    const v = e?.values?.[k];
    return typeof v === "string" ? v : d;
  };
  const otherErrors = result && !result.ok && !["match", "end_match", "outcome", "service"].includes(String(result.values?.intent ?? "")) ? result : undefined;
  return (
    <Stack maw={1100} mx="auto" gap="lg">
      <Group justify="space-between" align="flex-start">
        <Stack gap={4}>
          <Title order={1}>{view.name}</Title>
          <Text c="dimmed">
            {view.placeTrail} · 您的查看身份：{view.access.reasonLabel}（本次查看已记入审计日志）
          </Text>
        </Stack>
        {view.access.isOfficer ? (
          <Button component={Link} to="/care/targets" variant="default">
            返回名单
          </Button>
        ) : (
          <Button component={Link} to="/care/my" variant="default">
            返回我的关爱服务
          </Button>
        )}
      </Group>
      {done ? (
        <Alert color="teal" role="status" title={done}>
          {null}
        </Alert>
      ) : null}
      <FormErrorSummary formError={otherErrors?.formError} />

      <Card withBorder padding="lg" component="section" aria-labelledby="basic">
        <Title order={2} size="h3" id="basic" mb="sm">
          基本信息
        </Title>
        <SimpleGrid cols={{ base: 1, xs: 2, md: 3 }}>
          <Field label="身份证号码">
            <span data-testid="id-masked" style={{ fontFamily: "monospace" }}>
              {view.idMasked}
            </span>{" "}
            {view.access.isOfficer ? (
              <Anchor component={Link} to={`/care/targets/${view.id}/unmask`}>
                查看完整号码
              </Anchor>
            ) : null}
          </Field>
          <Field label="性别 / 年龄">
            {view.sex === "male" ? "男" : "女"} · {view.age} 岁
          </Field>
          <Field label="联系电话">{view.phoneMasked ?? "—"}</Field>
          <Field label="地址">{view.address || "—"}</Field>
          <Field label="来源">
            {CARE_SOURCE_LABELS[view.source as keyof typeof CARE_SOURCE_LABELS]} · {formatDate(view.referredOn)}
          </Field>
          <Field label="群体">{view.groups.join("、")}</Field>
          <Field label="监护人">
            {view.guardian ? `${view.guardian.name}${view.guardian.relation ? `（${view.guardian.relation}）` : ""}${view.guardian.phoneMasked ? ` ${view.guardian.phoneMasked}` : ""}` : "—"}
            {view.minorAtReferral ? "（转介时未成年）" : ""}
          </Field>
          <Field label="知情同意">
            {view.consent.by} · {CONSENT_METHOD_LABELS[view.consent.method as keyof typeof CONSENT_METHOD_LABELS]} · {formatDate(view.consent.on)}
            {view.consent.photos ? " · 同意拍照" : " · 未同意拍照"}
          </Field>
        </SimpleGrid>
        <Text mt="md" style={{ whiteSpace: "pre-wrap" }}>
          <Text span c="dimmed" size="sm">
            需求与情况：
          </Text>
          {view.needs || "—"}
        </Text>
      </Card>

      <Card withBorder padding="lg" component="section" aria-labelledby="matches">
        <Title order={2} size="h3" id="matches" mb="sm">
          精准对接
        </Title>
        {view.matches.length === 0 ? <Text c="dimmed">尚未对接服务方。</Text> : null}
        <Stack gap="xs">
          {view.matches.map((m) => (
            <Group key={m.id} justify="space-between" wrap="wrap">
              <Group gap="xs">
                <Badge variant={m.status === "active" ? "filled" : "outline"} radius="sm">
                  {m.status === "active" ? "对接中" : "已结束"}
                </Badge>
                <Text>
                  {CARER_KIND_LABELS[m.kind]}：{m.carerName}
                </Text>
                <Text c="dimmed" size="sm">
                  {formatDate(m.startedOn)} 起{m.endedOn ? `，${formatDate(m.endedOn)} 结束${m.endReason ? `（${m.endReason}）` : ""}` : ""}
                </Text>
              </Group>
              {view.access.isOfficer && m.status === "active" ? (
                <Form method="post">
                  <input type="hidden" name="intent" value="end_match" />
                  <input type="hidden" name="matchId" value={m.id} />
                  <Group gap="xs" align="flex-end">
                    <TextInput label="结束原因" name="endReason" size="sm" />
                    <Button type="submit" color="red" variant="light" loading={busy} aria-label={`结束与 ${m.carerName} 的对接`}>
                      结束对接
                    </Button>
                  </Group>
                </Form>
              ) : null}
            </Group>
          ))}
        </Stack>
        {view.access.isOfficer ? (
          <Form method="post">
            <input type="hidden" name="intent" value="match" />
            <Stack mt="md" gap="sm">
              <Title order={3} size="h4">
                新增对接（可多方对接同一对象）
              </Title>
              <FormErrorSummary formError={errorsFor("match")?.formError} fieldErrors={errorsFor("match")?.fieldErrors} />
              <Group align="flex-end">
                <NativeSelect label="对接方式" name="kind" defaultValue={valueOf("match", "kind", "social_worker")} data={CARER_KINDS.map((k) => ({ value: k, label: CARER_KIND_LABELS[k] }))} />
                <NativeSelect
                  label="社会组织（按组织对接时）"
                  name="organisationId"
                  defaultValue={valueOf("match", "organisationId")}
                  error={errorsFor("match")?.fieldErrors?.organisationId}
                  data={[{ value: "", label: "（不适用）" }, ...organisations]}
                />
                <TextInput
                  label="服务人员手机号码（按个人对接时）"
                  name="carerPhone"
                  type="tel"
                  inputMode="numeric"
                  defaultValue={valueOf("match", "carerPhone")}
                  error={errorsFor("match")?.fieldErrors?.carerPhone}
                />
                <TextInput label="开始日期" name="startedOn" type="date" defaultValue={valueOf("match", "startedOn", today)} error={errorsFor("match")?.fieldErrors?.startedOn} />
                <Button type="submit" loading={busy}>
                  对接
                </Button>
              </Group>
            </Stack>
          </Form>
        ) : null}
      </Card>

      <Card withBorder padding="lg" component="section" aria-labelledby="services">
        <Title order={2} size="h3" id="services" mb="sm">
          服务记录
        </Title>
        {view.caseView ? (
          <Stack gap="xs" mb="md">
            {view.caseView.overdue ? (
              <Alert color="orange" title={`已 ${view.caseView.daysSinceLast} 天没有服务`}>
                超过 {SERVICE_GAP_DAYS} 天未服务，请联系对接方跟进。
              </Alert>
            ) : (
              <Text c="teal.9">最近一次服务在 {view.caseView.daysSinceLast} 天前。</Text>
            )}
            {view.caseView.gaps.length > 0 ? (
              <Text size="sm">
                服务间隔超过 {SERVICE_GAP_DAYS} 天：{view.caseView.gaps.map((g) => `${formatDate(g.from)}—${formatDate(g.to)}（${g.days} 天）`).join("；")}
              </Text>
            ) : null}
            {view.caseView.monthly.length > 0 ? (
              <Table withTableBorder aria-label="每月服务">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>月份</Table.Th>
                    <Table.Th>次数</Table.Th>
                    <Table.Th>时长</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {view.caseView.monthly.map((m) => (
                    <Table.Tr key={m.month}>
                      <Table.Td>{m.month.replace("-", " 年 ")} 月</Table.Td>
                      <Table.Td>{m.count}</Table.Td>
                      <Table.Td>{(m.minutes / 60).toFixed(1)} 小时</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            ) : null}
          </Stack>
        ) : null}
        {view.services.length === 0 ? <Text c="dimmed">暂无服务记录。</Text> : null}
        <Stack gap="xs">
          {view.services.map((s) => (
            <Card key={s.id} withBorder padding="sm">
              <Group gap="xs">
                <Badge variant="light" radius="sm">
                  {s.kind}
                </Badge>
                <Text fw={600}>{formatDate(s.servedOn)}</Text>
                <Text c="dimmed" size="sm">
                  {s.durationMinutes} 分钟 · {s.loggedBy}
                </Text>
                {s.followUp ? (
                  <Badge color="orange" variant="light" radius="sm">
                    需跟进
                  </Badge>
                ) : null}
              </Group>
              {s.notes ? <Text mt={4}>{s.notes}</Text> : null}
            </Card>
          ))}
        </Stack>
        {view.access.matchId ? (
          <Form method="post">
            <input type="hidden" name="intent" value="service" />
            <Stack mt="md" gap="sm">
              <Title order={3} size="h4">
                记录一次服务
              </Title>
              <FormErrorSummary formError={errorsFor("service")?.formError} fieldErrors={errorsFor("service")?.fieldErrors} />
              <ServiceFields today={today} value={(k, d) => valueOf("service", k, d)} errors={errorsFor("service")?.fieldErrors} photosConsented={view.consent.photos} />
              <Group>
                <Button type="submit" loading={busy}>
                  保存服务记录
                </Button>
              </Group>
            </Stack>
          </Form>
        ) : null}
      </Card>

      <Card withBorder padding="lg" component="section" aria-labelledby="outcomes">
        <Title order={2} size="h3" id="outcomes" mb="sm">
          成效
        </Title>
        {view.outcomes.length === 0 ? <Text c="dimmed">暂无记录。</Text> : null}
        {view.outcomes.map((o) => (
          <Text key={o.id}>
            {formatDate(o.achievedOn)}：{o.description}
          </Text>
        ))}
        {view.access.isOfficer ? (
          <Form method="post">
            <input type="hidden" name="intent" value="outcome" />
            <FormErrorSummary formError={errorsFor("outcome")?.formError} fieldErrors={errorsFor("outcome")?.fieldErrors} />
            <Group align="flex-end" mt="sm">
              <TextInput label="日期" name="achievedOn" type="date" defaultValue={valueOf("outcome", "achievedOn", today)} error={errorsFor("outcome")?.fieldErrors?.achievedOn} />
              <TextInput label="成效" name="description" placeholder="例如：找到公益性岗位工作" defaultValue={valueOf("outcome", "description")} error={errorsFor("outcome")?.fieldErrors?.description} style={{ flex: "1 1 240px" }} />
              <Button type="submit" loading={busy}>
                记录成效
              </Button>
            </Group>
          </Form>
        ) : null}
      </Card>

      {view.accessHistory ? (
        <Card withBorder padding="lg" component="section" aria-labelledby="access-history">
          <Title order={2} size="h3" id="access-history" mb="sm">
            访问记录
          </Title>
          <Table.ScrollContainer minWidth={560}>
            <Table striped>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>时间</Table.Th>
                  <Table.Th>人员</Table.Th>
                  <Table.Th>操作</Table.Th>
                  <Table.Th>原因 / 身份</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {view.accessHistory.map((a, i) => (
                  <Table.Tr key={i}>
                    <Table.Td>{formatDateTime(a.at)}</Table.Td>
                    <Table.Td>{a.actorName ?? "—"}</Table.Td>
                    <Table.Td>{ACTION_LABELS[a.action] ?? a.action}</Table.Td>
                    <Table.Td>{a.reason ?? "—"}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </Card>
      ) : null}
    </Stack>
  );
}
