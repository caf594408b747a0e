import { Anchor, List, Stack, Table, Text, Title } from "@mantine/core";
import type { BidDetail } from "../domain/calls/bids.server";
import { PLEDGE_KIND_LABELS } from "../domain/calls/rules";
import { ACTION_TYPE_INFO } from "../domain/vocabulary";
import { formatCalendarDate } from "../lib/dates";
import { formatYuan } from "../lib/money";

/** A bid as read by its organisation after submission, and by its reviewers. */
export function BidView({ bid }: { bid: BidDetail }) {
  return (
    <Stack gap="md">
      <Text>
        {bid.organisationName} · {ACTION_TYPE_INFO[bid.actionType].name} · 项目负责人：{bid.leadName || "未填写"}
      </Text>
      <section aria-label="项目概述">
        <Title order={3} size="h4">
          项目概述
        </Title>
        <Text style={{ whiteSpace: "pre-wrap" }}>{bid.summary}</Text>
        <Text>
          服务对象：{bid.beneficiaryGroup}（{bid.beneficiaryCount ?? 0} 人）
        </Text>
        {bid.issues.length ? <Text>回应议题：{bid.issues.map((i) => i.title).join("、")}</Text> : null}
      </section>
      <section aria-label="实施计划">
        <Title order={3} size="h4">
          实施计划
        </Title>
        <Text style={{ whiteSpace: "pre-wrap" }}>{bid.plan}</Text>
      </section>
      <Table.ScrollContainer minWidth={420}>
        <Table aria-label="预算明细">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>类别</Table.Th>
              <Table.Th>说明</Table.Th>
              <Table.Th>金额</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {bid.lines.map((l, i) => (
              <Table.Tr key={i}>
                <Table.Td>{l.category}</Table.Td>
                <Table.Td>{l.description}</Table.Td>
                <Table.Td>{formatYuan(l.amountFen)}</Table.Td>
              </Table.Tr>
            ))}
            <Table.Tr>
              <Table.Td colSpan={2} fw={700}>
                申请金额合计
              </Table.Td>
              <Table.Td fw={700} data-testid="bid-total">
                {formatYuan(bid.requestedFen)}
              </Table.Td>
            </Table.Tr>
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {bid.pledges.length ? (
        <Table.ScrollContainer minWidth={420}>
          <Table aria-label="配套资金与实物支持">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>出资方</Table.Th>
                <Table.Th>形式</Table.Th>
                <Table.Th>内容</Table.Th>
                <Table.Th>价值</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {bid.pledges.map((p, i) => (
                <Table.Tr key={i}>
                  <Table.Td>{p.source}</Table.Td>
                  <Table.Td>{PLEDGE_KIND_LABELS[p.kind]}</Table.Td>
                  <Table.Td>{p.description}</Table.Td>
                  <Table.Td>{formatYuan(p.valueFen)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      ) : null}
      <Table.ScrollContainer minWidth={420}>
        <Table aria-label="里程碑">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>里程碑</Table.Th>
              <Table.Th>交付成果</Table.Th>
              <Table.Th>完成日期</Table.Th>
              <Table.Th>拨付比例</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {bid.milestones.map((m, i) => (
              <Table.Tr key={i}>
                <Table.Td>{m.title}</Table.Td>
                <Table.Td>{m.deliverable}</Table.Td>
                <Table.Td>{formatCalendarDate(m.dueDate)}</Table.Td>
                <Table.Td>{m.tranchePct}%</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {bid.attachments.length ? (
        <section aria-label="附件">
          <Title order={3} size="h4">
            附件
          </Title>
          <List>
            {bid.attachments.map((a) => (
              <List.Item key={a.id}>
                {a.name}：
                <Anchor href={`/bid-attachments/${a.id}`}>
                  {a.originalName}
                </Anchor>
              </List.Item>
            ))}
          </List>
        </section>
      ) : null}
    </Stack>
  );
}
