import { Anchor, Card, Code, Stack, Table, Text, Title } from "@mantine/core";
import type { MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { DATASETS } from "../domain/reports/opendata.server";

export const meta: MetaFunction = () => [{ title: "开放数据 · 邻里守望" }];

export function loader() {
  return { datasets: Object.entries(DATASETS).map(([name, d]) => ({ name, ...d })) };
}

export default function OpenData() {
  const { datasets } = useLoaderData<typeof loader>();
  return (
    <Stack maw={1000} mx="auto" gap="lg">
      <Title order={1}>开放数据</Title>
      <Text>
        “邻里守望”项目的公开数据，CSV 格式（UTF-8，带 BOM，Excel 可直接打开）。列名和列的顺序保持不变，新增的列只会加在最后。文件中没有任何个人信息：不含姓名、电话、住址，关爱服务类数字 1 至 4 显示为“&lt;5”。
      </Text>
      {datasets.map((d) => (
        <Card key={d.name} withBorder padding="lg" component="section" aria-labelledby={`ds-${d.name}`}>
          <Stack gap="sm">
            <Title order={2} size="h3" id={`ds-${d.name}`}>
              {d.title}
            </Title>
            <Text>{d.description}</Text>
            <Anchor href={`/open-data/${d.name}.csv`} display="inline-block" py={10} fw={600}>
              下载 {d.name}.csv
            </Anchor>
            <Table.ScrollContainer minWidth={480}>
              <Table withTableBorder striped>
                <caption className="visually-hidden">{d.title}的列</caption>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th scope="col">列名</Table.Th>
                    <Table.Th scope="col">说明</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {d.columns.map((c) => (
                    <Table.Tr key={c.key}>
                      <Table.Td>
                        <Code>{c.key}</Code>
                      </Table.Td>
                      <Table.Td>{c.description}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          </Stack>
        </Card>
      ))}
    </Stack>
  );
}
