import { Anchor, Card, SimpleGrid, Stack, Table, Text, Title } from "@mantine/core";
import { Link } from "@remix-run/react";
import { ACTION_KEYS, ACTION_LABELS, METRIC_KEYS, METRICS, type Area, type FiguresView, type MetricKey } from "../domain/reports/rules";
import { ACTION_TYPES } from "../domain/vocabulary";
import { formatMoney } from "../lib/money";
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
  const lineKeys: MetricKey[] = ["issuesRaised", "issuesDecided", "issuesClosed"];
  return (
    <Stack gap="lg">
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
