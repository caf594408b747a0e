import { Card, Table, Text } from "@mantine/core";
import { useRouteLoaderData } from "@remix-run/react";
import type { ReactNode } from "react";

/** Whether the page is drawn in 长辈模式 (decided by the root loader from the cookie or the user's setting). */
export function useElderMode(): boolean {
  const root = useRouteLoaderData("root") as { elder?: boolean } | undefined;
  return root?.elder ?? false;
}

export interface Column<T> {
  header: string;
  cell: (row: T) => ReactNode;
  /** Right-aligned in the table (amounts, counts). */
  numeric?: boolean;
}

/**
 * A list of records: a table on a wide screen; one card per record in 长辈模式 and on a phone,
 * where a table would scroll sideways. The first column becomes the card's title, the others a
 * list of "header: value" lines. On a phone the same table markup is restyled as cards by CSS
 * (.rtable in global.css), so the page works without JavaScript and nothing is rendered twice.
 */
export function ResponsiveTable<T>({ label, columns, rows, rowKey, empty }: { label: string; columns: Column<T>[]; rows: T[]; rowKey: (row: T) => string | number; empty?: ReactNode }) {
  const elder = useElderMode();
  if (rows.length === 0) return <Text c="dimmed">{empty ?? "暂无记录"}</Text>;
  if (elder) {
    const [title, ...rest] = columns;
    return (
      <ul className="record-cards" aria-label={label}>
        {rows.map((row) => (
          <li key={rowKey(row)}>
            <Card withBorder padding="md">
              <Text fw={700} size="lg">
                {title.cell(row)}
              </Text>
              <dl className="record-fields">
                {rest.map((c) => (
                  <div key={c.header}>
                    <dt>{c.header}</dt>
                    <dd>{c.cell(row)}</dd>
                  </div>
                ))}
              </dl>
            </Card>
          </li>
        ))}
      </ul>
    );
  }
  return (
    <Table striped withTableBorder className="rtable" aria-label={label}>
      <Table.Thead>
        <Table.Tr>
          {columns.map((c) => (
            <Table.Th key={c.header} scope="col" ta={c.numeric ? "right" : undefined}>
              {c.header}
            </Table.Th>
          ))}
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {rows.map((row) => (
          <Table.Tr key={rowKey(row)}>
            {columns.map((c) => (
              <Table.Td key={c.header} data-label={c.header} ta={c.numeric ? "right" : undefined}>
                {c.cell(row)}
              </Table.Td>
            ))}
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
