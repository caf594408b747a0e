import { Anchor, Card, SimpleGrid, Stack, Table, Text, Title } from "@mantine/core";
import { Link } from "@remix-run/react";
import { GRANT_STATUS_LABELS } from "../domain/grants/rules";
import { ACTION_KEYS, ACTION_LABELS, METRIC_KEYS, METRICS, formatScore, PROJECT_STATUSES, type Area, type FiguresView, type MetricKey } from "../domain/reports/rules";
import { ACTION_TYPES } from "../domain/vocabulary";
import { formatMoney, formatYuan } from "../lib/money";
import { DonutChart, LineChart, StackedBarChart } from "./charts";

/**
 * The programme figures of a place and period, as the dashboard, the public page and the report
 * show them: key figures, charts (each with its table), and the tables by area and action type.
 */
export function KeyFigures({ view }: { view: FiguresView }) {
  return (
    <SimpleGrid cols={{ base: 2, sm: 3, lg: 4 }} component="ul" style={{ listStyle: "none", padding: 0, margin: 0 }}>
      {METRIC_KEYS.map((k) => (
        <Card key={k} withBorder padding="md" component="li">
          <Text size="sm" c="dimmed">
            {METRICS[k].label}
          </Text>
          <Text fz={26} fw={700} data-testid={`figure-${k}`}>
            {view.shown[k].total}
          </Text>
        </Card>
      ))}
    </SimpleGrid>
  );
}

const ACTION_SERIES = [...ACTION_TYPES.map((a) => ({ key: a, label: ACTION_LABELS[a] })), { key: "none", label: ACTION_LABELS.none }];

export function FigureCharts({ view }: { view: FiguresView }) {
  const decided = view.metrics.issuesDecided;
  const awarded = view.metrics.grantsAwarded;
  const lineKeys: MetricKey[] = ["issuesRaised", "issuesDecided", "issuesClosed"];
  const moneyKeys: MetricKey[] = ["grantsAwarded", "disbursed", "leveraged"];
  return (
    <Stack gap="lg">
      {awarded && (
        <Card withBorder padding="lg">
          <StackedBarChart
            title={`资助金额：按地区、按四项行动（${view.from} 至 ${view.to}）`}
            series={ACTION_SERIES.filter((s) => s.key !== "none")}
            rows={view.areas.map((a) => ({ label: a.name, values: awarded.byAreaAction[a.key] ?? {} }))}
            format={formatMoney}
          />
        </Card>
      )}
      <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="lg">
        <Card withBorder padding="lg">
          <LineChart
            title="资金逐月变化（资助、拨付、撬动）"
            months={view.months}
            series={moneyKeys.filter((k) => view.metrics[k]).map((k) => ({ key: k, label: METRICS[k].label }))}
            values={Object.fromEntries(moneyKeys.map((k) => [k, view.metrics[k]?.byMonth ?? {}]))}
            format={formatMoney}
          />
        </Card>
        <Card withBorder padding="lg">
          <DonutChart title="资助金额按资金来源" slices={view.awardedBySource.map((s) => ({ label: s.source, value: s.fen }))} format={formatMoney} />
        </Card>
      </SimpleGrid>
      {decided && (
        <Card withBorder padding="lg">
          <StackedBarChart
            title={`议定议题：按地区、按四项行动（${view.from} 至 ${view.to}）`}
            series={ACTION_SERIES}
            rows={view.areas.map((a) => ({ label: a.name, values: decided.byAreaAction[a.key] ?? {} }))}
          />
        </Card>
      )}
      <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="lg">
        <Card withBorder padding="lg">
          <LineChart
            title="居民议题逐月变化"
            months={view.months}
            series={lineKeys.filter((k) => view.metrics[k]).map((k) => ({ key: k, label: METRICS[k].label }))}
            values={Object.fromEntries(lineKeys.map((k) => [k, view.metrics[k]?.byMonth ?? {}]))}
          />
        </Card>
        <Card withBorder padding="lg">
          <DonutChart title="资金来源（期间注入资金池）" slices={view.poolsBySource.map((s) => ({ label: s.source, value: s.fen }))} format={formatMoney} />
        </Card>
      </SimpleGrid>
    </Stack>
  );
}

export function AreaTable({ view, linkFor }: { view: FiguresView; linkFor?: (a: Area) => string | null }) {
  return (
    <Stack gap="xs">
      <Title order={2} size="h3">
        按地区
      </Title>
      <Table.ScrollContainer minWidth={900}>
        <Table striped withTableBorder>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">地区</Table.Th>
              {METRIC_KEYS.map((k) => (
                <Table.Th key={k} scope="col" ta="right">
                  {METRICS[k].label}
                </Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {view.areas.map((a) => {
              const to = linkFor?.(a);
              return (
                <Table.Tr key={a.key}>
                  <Table.Th scope="row" fw={400}>
                    {to ? (
                      <Anchor component={Link} to={to} display="inline-block" py={10}>
                        {a.name}
                      </Anchor>
                    ) : (
                      a.name
                    )}
                  </Table.Th>
                  {METRIC_KEYS.map((k) => (
                    <Table.Td key={k} ta="right">
                      {view.shown[k].byArea[a.key] ?? "0"}
                    </Table.Td>
                  ))}
                </Table.Tr>
              );
            })}
            <Table.Tr fw={700}>
              <Table.Th scope="row">合计</Table.Th>
              {METRIC_KEYS.map((k) => (
                <Table.Td key={k} ta="right">
                  {view.shown[k].total}
                </Table.Td>
              ))}
            </Table.Tr>
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Stack>
  );
}

export function ActionTable({ view }: { view: FiguresView }) {
  const keys = METRIC_KEYS.filter((k) => METRICS[k].byAction);
  return (
    <Stack gap="xs">
      <Title order={2} size="h3">
        按四项行动
      </Title>
      <Table.ScrollContainer minWidth={480}>
        <Table striped withTableBorder>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">行动类型</Table.Th>
              {keys.map((k) => (
                <Table.Th key={k} scope="col" ta="right">
                  {METRICS[k].label}
                </Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {ACTION_KEYS.map((a) => (
              <Table.Tr key={a}>
                <Table.Th scope="row" fw={400}>
                  {ACTION_LABELS[a]}
                </Table.Th>
                {keys.map((k) => (
                  <Table.Td key={k} ta="right">
                    {view.shown[k].byAction[a]}
                  </Table.Td>
                ))}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Stack>
  );
}

export function MonthTable({ view }: { view: FiguresView }) {
  return (
    <Stack gap="xs">
      <Title order={2} size="h3">
        逐月
      </Title>
      <Table.ScrollContainer minWidth={900}>
        <Table striped withTableBorder>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">月份</Table.Th>
              {METRIC_KEYS.map((k) => (
                <Table.Th key={k} scope="col" ta="right">
                  {METRICS[k].label}
                  {METRICS[k].kind === "stock" ? "（累计）" : ""}
                </Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {view.months.map((m) => (
              <Table.Tr key={m}>
                <Table.Th scope="row" fw={400}>
                  {m}
                </Table.Th>
                {METRIC_KEYS.map((k) => (
                  <Table.Td key={k} ta="right">
                    {view.shown[k].byMonth[m] ?? "0"}
                  </Table.Td>
                ))}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Stack>
  );
}

/** Projects by their status, per area: the counts of 资助项目 at the end of the period. */
export function ProjectStatusTable({ view }: { view: FiguresView }) {
  const statuses = PROJECT_STATUSES;
  const sum = (c: Partial<Record<string, number>>) => statuses.reduce((n, st) => n + (c[st] ?? 0), 0);
  return (
    <Stack gap="xs">
      <Title order={2} size="h3">
        资助项目按状态
      </Title>
      <Table.ScrollContainer minWidth={640}>
        <Table striped withTableBorder>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">地区</Table.Th>
              {statuses.map((st) => (
                <Table.Th key={st} scope="col" ta="right">
                  {GRANT_STATUS_LABELS[st]}
                </Table.Th>
              ))}
              <Table.Th scope="col" ta="right">
                合计
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {view.areas.map((a) => {
              const c = view.projectStatus.byArea[a.key] ?? {};
              return (
                <Table.Tr key={a.key}>
                  <Table.Th scope="row" fw={400}>
                    {a.name}
                  </Table.Th>
                  {statuses.map((st) => (
                    <Table.Td key={st} ta="right">
                      {c[st] ?? 0}
                    </Table.Td>
                  ))}
                  <Table.Td ta="right">{sum(c)}</Table.Td>
                </Table.Tr>
              );
            })}
            <Table.Tr fw={700}>
              <Table.Th scope="row">合计</Table.Th>
              {statuses.map((st) => (
                <Table.Td key={st} ta="right" data-testid={`projects-${st}`}>
                  {view.projectStatus.total[st] ?? 0}
                </Table.Td>
              ))}
              <Table.Td ta="right">{sum(view.projectStatus.total)}</Table.Td>
            </Table.Tr>
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Stack>
  );
}

function ProjectTable({ caption, lines }: { caption: string; lines: FiguresView["topProjects"] }) {
  return (
    <Table.ScrollContainer minWidth={900}>
      <Table striped withTableBorder>
        <caption className="visually-hidden">{caption}</caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">项目</Table.Th>
            <Table.Th scope="col">承接组织</Table.Th>
            <Table.Th scope="col">地区</Table.Th>
            <Table.Th scope="col">行动类型</Table.Th>
            <Table.Th scope="col">状态</Table.Th>
            <Table.Th scope="col" ta="right">
              资助金额
            </Table.Th>
            <Table.Th scope="col" ta="right">
              撬动资源
            </Table.Th>
            <Table.Th scope="col" ta="right">
              受益人次
            </Table.Th>
            <Table.Th scope="col" ta="right">
              满意度（评价人数）
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {lines.map((p, i) => (
            <Table.Tr key={`${p.projectName}-${i}`}>
              <Table.Th scope="row" fw={400}>
                {p.projectName}
              </Table.Th>
              <Table.Td>{p.organisationName}</Table.Td>
              <Table.Td>{p.placeName}</Table.Td>
              <Table.Td>{ACTION_LABELS[p.actionType]}</Table.Td>
              <Table.Td>{GRANT_STATUS_LABELS[p.status]}</Table.Td>
              <Table.Td ta="right">{formatYuan(p.amountFen)}</Table.Td>
              <Table.Td ta="right">{formatYuan(p.leveragedFen)}</Table.Td>
              <Table.Td ta="right">{p.beneficiaries}</Table.Td>
              <Table.Td ta="right">
                {formatScore(p.satisfaction)}（{p.evaluations}）
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

/** 进展成效 of the 总结报告: the largest projects, and stories — the projects residents rated best. */
export function ProjectLists({ view }: { view: FiguresView }) {
  return (
    <Stack gap="sm">
      <Title order={3} size="h4">
        重点项目（期间资助金额最大的 {view.topProjects.length} 个）
      </Title>
      {view.topProjects.length === 0 ? <Text c="dimmed">期间内没有确定资助的项目。</Text> : <ProjectTable caption="重点项目" lines={view.topProjects} />}
      <Title order={3} size="h4">
        典型案例（居民评价最好的项目）
      </Title>
      {view.stories.length === 0 ? (
        <Text c="dimmed">期间内没有居民评价。</Text>
      ) : (
        <Stack gap="sm" component="ol" style={{ paddingLeft: 20 }}>
          {view.stories.map((p, i) => (
            <li key={`${p.projectName}-${i}`}>
              <Text fw={600}>
                {p.projectName}（{p.organisationName}，{p.placeName}，{ACTION_LABELS[p.actionType]}）
              </Text>
              <Text size="sm">
                满意度 {formatScore(p.satisfaction)} 分（{p.evaluations} 人评价），资助 {formatYuan(p.amountFen)}，撬动 {formatYuan(p.leveragedFen)}，服务 {p.beneficiaries} 人次。
              </Text>
              {p.narrative ? <Text size="sm">{p.narrative}</Text> : null}
            </li>
          ))}
        </Stack>
      )}
    </Stack>
  );
}

export function Definitions() {
  return (
    <details>
      <summary className="disclosure">指标口径说明</summary>
      <dl>
        {METRIC_KEYS.map((k) => (
          <div key={k}>
            <dt style={{ fontWeight: 600 }}>{METRICS[k].label}</dt>
            <dd style={{ marginLeft: 0, marginBottom: 8 }}>{METRICS[k].definition}</dd>
          </div>
        ))}
      </dl>
    </details>
  );
}
