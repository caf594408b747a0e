import { Alert, Anchor, Button, Checkbox, Group, Paper, Radio, Stack, Table, Text, Textarea, Title } from "@mantine/core";
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { FormErrorSummary } from "../components/FormErrorSummary";
import { liaisonPlaces, pushNeed, workspace } from "../domain/liaison/liaison.server";
import { PUSH_ARRAY_FIELDS, pushSchema } from "../domain/liaison/schema";
import { ACTION_TYPE_INFO } from "../domain/vocabulary";
import { formatDate, formatDateTime } from "../lib/dates";
import { parseForm } from "../lib/form";
import { formatYuan } from "../lib/money";
import { auditContext, requirePlaceScopes } from "../platform/auth.server";
import { systemClock } from "../platform/clock";
import { getDb } from "../platform/db.server";
import { domainErrorResponse, formValues, invalid } from "../platform/http.server";

export const meta: MetaFunction = () => [{ title: "联络员工作台 · 邻里守望" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { actor } = await requirePlaceScopes(request, context, "liaison.work");
  const places = await liaisonPlaces(getDb(), actor);
  const wanted = Number(new URL(request.url).searchParams.get("place"));
  const place = places.find((p) => p.placeId === wanted) ?? places[0];
  if (!place) throw new Response("您没有联络员辖区", { status: 403 });
  return data({ place, places, ...(await workspace(getDb(), place, systemClock)) }, { headers: { "Cache-Control": "private, no-store" } });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await request.formData();
  // Whether the issue or call lies in the liaison's district depends on the data: pushNeed checks it.
  const { actor } = await requirePlaceScopes(request, context, "liaison.work");
  const parsed = parseForm(pushSchema, form, PUSH_ARRAY_FIELDS);
  if (!parsed.ok) return invalid({ fieldErrors: parsed.fieldErrors, formError: parsed.formError, values: parsed.values });
  try {
    const r = await getDb()
      .transaction()
      .execute((trx) => pushNeed(trx, auditContext(actor, "liaison"), actor, systemClock, parsed.data));
    return { ok: true as const, notified: r.notified, organisations: parsed.data.organisationIds.length };
  } catch (e) {
    return domainErrorResponse(e, formValues(form));
  }
}

export default function LiaisonWorkspace() {
  const { place, places, ready, calls, organisations, pushes } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const failed = result && !result.ok ? result : undefined;
  const v = (failed?.values ?? {}) as Record<string, string | string[]>;
  const chosen = new Set(Array.isArray(v.organisationIds) ? v.organisationIds : v.organisationIds ? [v.organisationIds] : []);
  return (
    <Stack maw={1200} mx="auto" gap="lg">
      <Group justify="space-between" align="flex-end">
        <Stack gap={4}>
          <Title order={1}>联络员工作台 · {place.name}</Title>
          <Text c="dimmed">待转入创投的议题、正在征集的招贤榜、辖区社会组织及其活动、需求推送记录。</Text>
        </Stack>
        <Group>
          <Button component={Link} to="/calls/new" variant="default" size="md">
            发布招贤榜
          </Button>
          <Button component={Link} to="/grants" variant="default" size="md">
            项目与指导意见
          </Button>
          <Button component={Link} to="/liaison/summaries" variant="default" size="md">
            进展小结
          </Button>
          <Button component={Link} to={`/bureau/dashboard?place=${place.placeId}`} variant="default" size="md">
            辖区数据看板
          </Button>
        </Group>
      </Group>
      {places.length > 1 ? (
        <Group>
          {places.map((p) => (
            <Anchor key={p.placeId} component={Link} to={`?place=${p.placeId}`} display="inline-block" py={10}>
              {p.name}
            </Anchor>
          ))}
        </Group>
      ) : null}
      {result?.ok ? (
        <Alert color="teal" title="已推送" role="status">
          已推送给 {result.organisations} 家组织，{result.notified} 位组织成员收到了站内消息。
        </Alert>
      ) : null}

      <Paper withBorder p="lg" component="section" aria-labelledby="push-title">
        <Title order={2} size="h3" id="push-title" mb="sm">
          需求推送
        </Title>
        {ready.length === 0 && calls.length === 0 ? (
          <Text c="dimmed">辖区内暂无待转入创投的议题或正在征集的招贤榜。</Text>
        ) : (
          <Form method="post" noValidate>
            <Stack>
              <FormErrorSummary formError={failed?.formError} fieldErrors={failed?.fieldErrors} />
              <Radio.Group name="target" label="推送内容：一项议题或一个招贤榜" required defaultValue={typeof v.target === "string" ? v.target : undefined} error={failed?.fieldErrors?.target}>
                <Stack gap="xs" mt="xs">
                  {ready.length > 0 ? (
                    <Text size="sm" fw={600}>
                      已议定转入创投、尚未纳入招贤榜的议题
                    </Text>
                  ) : null}
                  {ready.map((i) => (
                    <Radio
                      key={i.issueId}
                      value={`issue:${i.issueId}`}
                      size="md"
                      label={`${i.title}（${i.placeName} · ${ACTION_TYPE_INFO[i.actionType].name} · 预算约 ${formatYuan(i.budgetEstimateFen)} · ${formatDate(i.decidedAt)}议定）`}
                    />
                  ))}
                  {calls.length > 0 ? (
                    <Text size="sm" fw={600}>
                      正在征集的招贤榜
                    </Text>
                  ) : null}
                  {calls.map((c) => (
                    <Radio key={c.id} value={`call:${c.id}`} size="md" label={`${c.title}（${c.placeName} · ${ACTION_TYPE_INFO[c.actionType].name} · ${formatDate(c.closesAt)}截止）`} />
                  ))}
                </Stack>
              </Radio.Group>
              <Checkbox.Group label="推送给以下组织（辖区内已通过查验的社会组织）" required defaultValue={[...chosen]} error={failed?.fieldErrors?.organisationIds}>
                <Stack gap={6} mt="xs" mah={360} style={{ overflowY: "auto" }} p={4}>
                  {organisations.map((o) => (
                    <Checkbox key={o.id} name="organisationIds" value={o.id} size="md" label={`${o.name}${o.type ? `（${o.type}）` : ""}`} />
                  ))}
                </Stack>
              </Checkbox.Group>
              <Textarea size="md" label="附言" name="message" autosize minRows={2} defaultValue={typeof v.message === "string" ? v.message : ""} error={failed?.fieldErrors?.message} />
              <Button type="submit" size="lg" loading={busy}>
                推送
              </Button>
            </Stack>
          </Form>
        )}
      </Paper>

      <Stack gap="xs" component="section" aria-labelledby="orgs-title">
        <Title order={2} size="h3" id="orgs-title">
          辖区社会组织（{organisations.length} 家）
        </Title>
        <Table.ScrollContainer minWidth={700}>
          <Table striped withTableBorder>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>组织</Table.Th>
                <Table.Th>类型</Table.Th>
                <Table.Th ta="right">平台成员</Table.Th>
                <Table.Th ta="right">收到推送</Table.Th>
                <Table.Th ta="right">在对接关爱对象</Table.Th>
                <Table.Th>最近推送</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {organisations.map((o) => (
                <Table.Tr key={o.id}>
                  <Table.Td>
                    <Anchor component={Link} to={`/organisations/${o.id}`} display="inline-block" py={10}>
                      {o.name}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>{o.type ?? "—"}</Table.Td>
                  <Table.Td ta="right">{o.members}</Table.Td>
                  <Table.Td ta="right">{o.pushesReceived}</Table.Td>
                  <Table.Td ta="right">{o.activeCareMatches}</Table.Td>
                  <Table.Td>{o.lastPushAt ? formatDate(o.lastPushAt) : "—"}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </Stack>

      <Stack gap="xs" component="section" aria-labelledby="pushes-title">
        <Title order={2} size="h3" id="pushes-title">
          推送记录
        </Title>
        {pushes.length === 0 ? (
          <Text c="dimmed">还没有推送记录。</Text>
        ) : (
          <Stack gap="xs" component="ul" style={{ listStyle: "none", padding: 0 }}>
            {pushes.map((p) => (
              <Paper key={p.id} withBorder p="sm" component="li">
                <Text fw={600}>
                  {p.kind === "call" ? "招贤榜：" : "议题："}
                  {p.title}
                </Text>
                <Text size="sm">
                  {formatDateTime(p.createdAt)} · {p.liaisonName} → {p.organisations.join("、")}
                </Text>
                {p.message ? <Text size="sm">附言：{p.message}</Text> : null}
              </Paper>
            ))}
          </Stack>
        )}
      </Stack>
    </Stack>
  );
}
