import { Card, SimpleGrid, Text } from "@mantine/core";
import type { PoolBalance } from "../domain/ledger/rules";
import { formatMoney } from "../lib/money";

const ITEMS: Array<{ key: keyof PoolBalance; label: string; hint: string }> = [
  { key: "total", label: "总额", hint: "历次注资合计" },
  { key: "committed", label: "已承诺", hint: "已立项尚未释放" },
  { key: "disbursed", label: "已拨付", hint: "已付给社会组织" },
  { key: "available", label: "可用余额", hint: "总额减已承诺" },
];

/** A pool's four figures, each derived from the ledger. */
export function PoolBalanceCards({ balance }: { balance: PoolBalance }) {
  return (
    <SimpleGrid cols={{ base: 2, sm: 4 }}>
      {ITEMS.map((i) => (
        <Card key={i.key} withBorder padding="md" aria-label={i.label}>
          <Text c="dimmed" size="sm">
            {i.label}
          </Text>
          <Text fw={700} size="xl" data-testid={`pool-${i.key}`}>
            {formatMoney(balance[i.key])}
          </Text>
          <Text c="dimmed" size="xs">
            {i.hint}
          </Text>
        </Card>
      ))}
    </SimpleGrid>
  );
}
