import { Alert, Anchor, Badge, Button, Card, Group, SimpleGrid, Stack, Text, Title } from "@mantine/core";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { OrganisationStatusBadge } from "../components/OrganisationStatusBadge";
import { organisationGrantRecord } from "../domain/grants/queries.server";
import { GRANT_STATUS_LABELS } from "../domain/grants/rules";
import { getOrganisation } from "../domain/organisations/organisations.server";
import { formatYuan } from "../lib/money";
import { formatDate } from "../lib/dates";
import { maskPhone } from "../lib/phone";
import { getActor } from "../platform/auth.server";
import { getDb } from "../platform/db.server";
import { notFound } from "../platform/http.server";
import { can } from "../platform/permissions";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.org.name ?? "社会组织"} · 邻里守望` }];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const id = z.uuid().safeParse(params.id);
  if (!id.success) notFound("组织不存在");
  const org = await getOrganisation(getDb(), id.data);
  if (!org) notFound("组织不存在");
  const actor = await getActor(request, context);
  return {
    org: { ...org, contactPhone: org.contactPhone ? maskPhone(org.contactPhone) : null },
    record: await organisationGrantRecord(getDb(), org.id),
    canManage: can(actor, "organisation.edit", { organisationId: org.id }),
    canVerify: org.status === "pending" && can(actor, "organisation.verify", { placePath: org.placePath }),
  };
}

function Section({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <Card withBorder padding="lg" component="section" aria-label={title}>
      <Title order={2} size="h4" mb="xs">
        {title}
      </Title>
      {children}
    </Card>
  );
}

export default function OrganisationProfile() {
  const { org, record, canManage, canVerify } = useLoaderData<typeof loader>();
  return (
    <Stack maw={900} mx="auto" gap="lg">
      <Stack gap="xs">
        <Group gap="sm" align="center">
          <Title order={1}>{org.name}</Title>
          <OrganisationStatusBadge status={org.status} />
        </Group>
        <Group gap="xs">
          {org.type ? (
            <Badge variant="light" size="lg" radius="sm">
              {org.type}
            </Badge>
          ) : null}
          <Text>{org.placeName}</Text>
          {org.verifiedAt ? <Text c="dimmed">· {formatDate(org.verifiedAt)} 通过民政局查验</Text> : null}
        </Group>
      </Stack>
      {org.status === "returned" && canManage ? (
        <Alert color="red" title="登记被退回" role="status">
          退回原因：{org.returnReason}。请在“管理组织”中修改资料后重新提交。
        </Alert>
      ) : null}
      {canManage || canVerify ? (
        <Group>
          {canManage ? (
            <Button component={Link} to={`/organisations/${org.id}/manage`} size="lg">
              管理组织
            </Button>
          ) : null}
          {canVerify ? (
            <Button component={Link} to="/bureau/organisations" size="lg" variant="light">
              去查验
            </Button>
          ) : null}
        </Group>
      ) : null}

      <Card withBorder padding="lg" component="section" aria-labelledby="intro">
        <Title order={2} size="h4" id="intro" mb="xs">
          组织简介
        </Title>
        <Text style={{ whiteSpace: "pre-wrap" }}>{org.introduction ?? "暂无"}</Text>
        <Group gap="xs" mt="md">
          <Text fw={600}>服务领域：</Text>
          {org.serviceAreas.map((a) => (
            <Badge key={a} variant="outline" size="lg" radius="sm">
              {a}
            </Badge>
          ))}
        </Group>
      </Card>

      <Card withBorder padding="lg" component="section" aria-labelledby="facts">
        <Title order={2} size="h4" id="facts" mb="xs">
          登记信息
        </Title>
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="xs">
          <Text>统一社会信用代码：{org.uscc ?? "—"}</Text>
          <Text>登记管理机关：{org.registeringBureau ?? "—"}</Text>
          <Text>所在区县：{org.placeName}</Text>
          <Text>办公地址：{org.address ?? "—"}</Text>
          <Text>联系人：{org.contactPerson ?? "—"}</Text>
          <Text>联系电话：{org.contactPhone ?? "—"}</Text>
        </SimpleGrid>
      </Card>

      <SimpleGrid cols={{ base: 1, sm: 3 }}>
        <Section title="承接项目">
          {record.grants.length === 0 ? <Text c="dimmed">暂无</Text> : null}
          <Stack gap={4}>
            {record.grants.map((g) => (
              <Anchor key={g.id} component={Link} to={g.status === "publicity" ? `/calls/${g.callId}/publicity` : `/projects/${g.id}`}>
                {g.projectName}（{GRANT_STATUS_LABELS[g.status]}）
              </Anchor>
            ))}
          </Stack>
        </Section>
        <Section title="获得资助">
          {record.grants.length === 0 ? (
            <Text c="dimmed">暂无</Text>
          ) : (
            <Text>
              {record.grants.length} 个项目，共 {formatYuan(record.grants.reduce((s, g) => s + g.amountFen, 0))}
            </Text>
          )}
        </Section>
        <Section title="居民评价">
          {record.evaluations === 0 ? (
            <Text c="dimmed">暂无</Text>
          ) : (
            <Text>
              {record.evaluations} 位居民评价：平均满意度 {record.satisfaction!.toFixed(1)} 分，问题解决 {record.solved!.toFixed(1)} 分（满分 5 分）
            </Text>
          )}
        </Section>
      </SimpleGrid>
    </Stack>
  );
}
