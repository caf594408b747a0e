import { Anchor, Button, Group, Stack, Table, Text, Title } from "@mantine/core";
import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { ActionTable, AreaTable, MonthTable, ProjectLists, ProjectStatusTable } from "../components/FiguresPanel";
import { getReport } from "../domain/reports/reports.server";
import { ACTION_LABELS, METRIC_KEYS, METRICS, viewFigures } from "../domain/reports/rules";
import { formatDateTime } from "../lib/dates";
import { formatYuan } from "../lib/money";
import { requirePermission } from "../platform/auth.server";
import { getDb } from "../platform/db.server";
import { notFound } from "../platform/http.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.report.placeName}总结报告 · 邻里守望` : "总结报告 · 邻里守望" }];

/** A kept 总结报告 as a page that prints cleanly to A4 (print stylesheet in global.css), from the figures saved with it. */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const report = await getReport(getDb(), params.id ?? "");
  if (!report) notFound("报告不存在");
  await requirePermission(request, context, "report.read", { placePath: report.placePath });
  const { figures, placePath: _placePath, ...rest } = report;
  return data({ report: rest, view: viewFigures(figures, { suppressCare: true, format: formatYuan }) }, { headers: { "Cache-Control": "private, no-store" } });
}

export default function ReportPage() {
  const { report, view } = useLoaderData<typeof loader>();
  const poolTotal = view.pools.reduce((s, p) => s + p.fen, 0);
  return (
    <Stack maw={1100} mx="auto" gap="lg" className="report">
      <Group className="no-print" justify="space-between">
        <Anchor component={Link} to="/bureau/reports" display="inline-block" py={10}>
          返回报告列表
        </Anchor>
        <Group>
          <Button component="a" href={`/bureau/reports/${report.id}.xlsx`} size="md" variant="default">
            下载 XLSX
          </Button>
          <Button size="md" onClick={() => window.print()}>
            打印 / 存为 PDF
          </Button>
        </Group>
      </Group>
      <Stack gap={4}>
        <Title order={1}>{report.placeName}社区社会组织参与基层治理总结报告</Title>
        <Text>
          统计期间：{report.from} 至 {report.to} · 生成人：{report.createdByName} · 生成时间：{formatDateTime(report.createdAt)}
        </Text>
      </Stack>

      <Stack gap="sm" className="print-section" component="section" aria-labelledby="s1">
        <Title order={2} id="s1">
          一、工作部署
        </Title>
        <Text>期间发布的招贤榜（{view.calls.length} 个）：</Text>
        {view.calls.length === 0 ? (
          <Text c="dimmed">期间内没有发布招贤榜。</Text>
        ) : (
          <Table withTableBorder striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>招贤榜</Table.Th>
                <Table.Th>地区</Table.Th>
                <Table.Th>行动类型</Table.Th>
                <Table.Th>资金池</Table.Th>
                <Table.Th>发布日期</Table.Th>
                <Table.Th ta="right">总预算</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {view.calls.map((c) => (
                <Table.Tr key={`${c.title}-${c.publishedAt}`}>
                  <Table.Td>
                    {c.title}
                    {c.withdrawn ? "（已撤回）" : ""}
                  </Table.Td>
                  <Table.Td>{c.placeName}</Table.Td>
                  <Table.Td>{ACTION_LABELS[c.actionType]}</Table.Td>
                  <Table.Td>
                    {c.poolName}（{c.poolSource}）
                  </Table.Td>
                  <Table.Td>{c.publishedAt}</Table.Td>
                  <Table.Td ta="right">{formatYuan(c.totalBudgetFen)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
        <Text>期间注入资金池的资金及其来源：</Text>
        <Table withTableBorder striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>资金池</Table.Th>
              <Table.Th>资金来源</Table.Th>
              <Table.Th>所属地区</Table.Th>
              <Table.Th ta="right">期间注入金额</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {view.pools.map((p) => (
              <Table.Tr key={`${p.name}-${p.placeName}`}>
                <Table.Td>{p.name}</Table.Td>
                <Table.Td>{p.source}</Table.Td>
                <Table.Td>{p.placeName}</Table.Td>
                <Table.Td ta="right">{formatYuan(p.fen)}</Table.Td>
              </Table.Tr>
            ))}
            <Table.Tr fw={700}>
              <Table.Td colSpan={3}>合计</Table.Td>
              <Table.Td ta="right">{formatYuan(poolTotal)}</Table.Td>
            </Table.Tr>
          </Table.Tbody>
        </Table>
      </Stack>

      <Stack gap="sm" className="print-section" component="section" aria-labelledby="s2">
        <Title order={2} id="s2">
          二、进展成效
        </Title>
        <Table withTableBorder striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>指标</Table.Th>
              <Table.Th ta="right">数值</Table.Th>
              <Table.Th>口径</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {METRIC_KEYS.map((k) => (
              <Table.Tr key={k}>
                <Table.Td>{METRICS[k].label}</Table.Td>
                <Table.Td ta="right" fw={600}>
                  {view.shown[k].total}
                </Table.Td>
                <Table.Td>{METRICS[k].definition}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        <AreaTable view={view} />
        <ActionTable view={view} />
        <MonthTable view={view} />
        <ProjectStatusTable view={view} />
        <ProjectLists view={view} />
      </Stack>

      <Stack gap="sm" className="print-section" component="section" aria-labelledby="s3">
        <Title order={2} id="s3">
          三、意见建议
        </Title>
        <Text style={{ whiteSpace: "pre-wrap" }}>{report.suggestions}</Text>
      </Stack>
    </Stack>
  );
}
