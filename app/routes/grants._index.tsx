import { Anchor, Card, Stack, Table, Text, Title } from "@mantine/core";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { paymentQueue, reportQueue } from "../domain/grants/queries.server";
import { formatDateTime } from "../lib/dates";
import { formatYuan } from "../lib/money";
import { requireUser } from "../platform/auth.server";
import { getDb } from "../platform/db.server";
import { placeScopes } from "../platform/permissions";

export const meta: MetaFunction = () => [{ title: "项目审核与拨付 · 邻里守望" }];

/** The liaison's and the officer's queues: reports to review or approve, tranches to pay, payments awaiting a second officer. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const actor = await requireUser(request, context);
  const liaisonPlaces = placeScopes(actor, "grant.liaison_review");
  const officerPlaces = placeScopes(actor, "grant.manage");
  const payPlaces = placeScopes(actor, "grant.disburse");
  if (liaisonPlaces.length + officerPlaces.length === 0) throw new Response("您没有权限进行此操作", { status: 403 });
  const db = getDb();
  const [toReview, toApprove, payments] = await Promise.all([
    reportQueue(db, liaisonPlaces, "submitted"),
    reportQueue(db, officerPlaces, "forwarded"),
    paymentQueue(db, payPlaces),
  ]);
  return { liaison: liaisonPlaces.length > 0, officer: officerPlaces.length > 0, toReview, toApprove, payments, me: actor.user.id };
}

function ReportTable({ label, rows }: { label: string; rows: Array<{ reportId: string; grantId: string; projectName: string; organisationName: string; placeName: string; position: number; milestoneTitle: string; submittedAt: string | Date }> }) {
  if (rows.length === 0) return <Text c="dimmed">暂无。</Text>;
  return (
    <Table.ScrollContainer minWidth={640}>
      <Table striped withTableBorder aria-label={label}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>项目</Table.Th>
            <Table.Th>组织</Table.Th>
            <Table.Th>里程碑</Table.Th>
            <Table.Th>提交时间</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((r) => (
            <Table.Tr key={r.reportId}>
              <Table.Td>
                <Anchor component={Link} to={`/grants/${r.grantId}/manage`}>
                  {r.projectName}
                </Anchor>
              </Table.Td>
              <Table.Td>{r.organisationName}</Table.Td>
              <Table.Td>
                第 {r.position} 期「{r.milestoneTitle}」
              </Table.Td>
              <Table.Td>{formatDateTime(r.submittedAt)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

export default function GrantQueues() {
  const { liaison, officer, toReview, toApprove, payments } = useLoaderData<typeof loader>();
  return (
    <Stack maw={1100} mx="auto" gap="lg">
      <Title order={1}>项目审核与拨付</Title>
      {liaison ? (
        <Card withBorder component="section" aria-labelledby="q-liaison">
          <Title order={2} size="h3" id="q-liaison" mb="sm">
            待联络员审核的报告
          </Title>
          <ReportTable label="待联络员审核的报告" rows={toReview} />
        </Card>
      ) : null}
      {officer ? (
        <>
          <Card withBorder component="section" aria-labelledby="q-officer">
            <Title order={2} size="h3" id="q-officer" mb="sm">
              待民政局审批的报告
            </Title>
            <ReportTable label="待民政局审批的报告" rows={toApprove} />
          </Card>
          <Card withBorder component="section" aria-labelledby="q-pay">
            <Title order={2} size="h3" id="q-pay" mb="sm">
              待拨付与待第二人审批
            </Title>
            <Stack gap={4}>
              {payments.payable.map((p) => (
                <Text key={`${p.grantId}-${p.position}`}>
                  <Anchor component={Link} to={`/grants/${p.grantId}/manage`}>
                    {p.projectName}
                  </Anchor>{" "}
                  第 {p.position} 期「{p.title}」{formatYuan(p.trancheFen)} · 可拨付
                </Text>
              ))}
              {payments.pending.map((p) => (
                <Text key={p.id}>
                  <Anchor component={Link} to={`/grants/${p.grantId}/manage`}>
                    {p.projectName}
                  </Anchor>{" "}
                  第 {p.position} 期 {formatYuan(p.amountFen)} · {p.requestedBy} 申请，待另一位工作人员审批
                </Text>
              ))}
              {payments.payable.length + payments.pending.length === 0 ? <Text c="dimmed">暂无。</Text> : null}
            </Stack>
          </Card>
        </>
      ) : null}
    </Stack>
  );
}
