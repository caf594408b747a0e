import { Button, Card, Group, NativeSelect, SimpleGrid, Stack, Table, Text, TextInput, Title } from "@mantine/core";
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { CommunityDrill } from "../components/CommunityDrill";
import { FormErrorSummary } from "../components/FormErrorSummary";
import { careActor, careScopes } from "../domain/care/access.server";
import { linkOrganisation, listLinks, officerDashboard } from "../domain/care/care.server";
import { linkSchema } from "../domain/care/schema";
import { organisationChoices } from "../domain/organisations/organisations.server";
import { communityChoices, getPlace, placeSelectOptions } from "../domain/places/places.server";
import { formatDate } from "../lib/dates";
import { parseForm } from "../lib/form";
import { requirePermission, requireUser } from "../platform/auth.server";
import { systemClock } from "../platform/clock";
import { getDb } from "../platform/db.server";
import { domainErrorResponse, formValues, invalid } from "../platform/http.server";

export const meta: MetaFunction = () => [{ title: "重点关爱对象 · 邻里守望" }];

const querySchema = z.object({
  /** The 街道 or 区县 whose communities the 结对 form lists, when the scope holds too many. */
  at: z.coerce.number().int().positive().optional().catch(undefined),
  /** Words of an organisation's name. */
  org: z.string().trim().max(40).optional().catch(undefined),
});

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const scope = careScopes(careActor(user), "care.read")[0];
  if (!scope) throw redirect("/care/stats");
  const { actor } = await requirePermission(request, context, "care.read", { placePath: scope.placePath });
  const db = getDb();
  const care = careActor(actor);
  const query = querySchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  const at = query.at ? await getPlace(db, query.at) : undefined;
  const org = query.org;
  const [place, figures, links, communities, organisations] = await Promise.all([
    getPlace(db, scope.placeId!),
    officerDashboard(db, care, systemClock, scope.placePath!),
    listLinks(db, care),
    communityChoices(db, [scope.placePath!], at),
    organisationChoices(db, org),
  ]);
  return {
    placeName: place?.name ?? "",
    figures,
    links,
    communities: communities.communities.map((c) => ({ value: String(c.id), label: c.name })),
    drill: communities.drill ? placeSelectOptions(communities.drill) : null,
    at: at ? String(at.id) : "",
    org: org ?? "",
    organisations,
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  const form = await request.formData();
  const parsed = parseForm(linkSchema, form);
  if (!parsed.ok) return invalid({ fieldErrors: parsed.fieldErrors, values: parsed.values });
  const place = await getPlace(getDb(), parsed.data.placeId);
  const { audit } = await requirePermission(request, context, "care.manage", { placePath: place?.path ?? null });
  try {
    await getDb()
      .transaction()
      .execute((trx) => linkOrganisation(trx, careActor(user), audit, systemClock, parsed.data));
    return data({ ok: true as const, message: "已记录“一社连一村（居）”结对" });
  } catch (e) {
    return domainErrorResponse(e, formValues(form));
  }
}

function Figure({ label, value, hint }: { label: string; value: number; hint?: string }) {
  return (
    <Card withBorder padding="lg">
      <Text c="dimmed" size="sm">
        {label}
      </Text>
      <Text fz={32} fw={700}>
        {value}
      </Text>
      {hint ? <Text size="sm">{hint}</Text> : null}
    </Card>
  );
}

export default function CareDashboard() {
  const { placeName, figures, links, communities, drill, at, org, organisations } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const errors = result && !result.ok ? result : undefined;
  return (
    <Stack maw={1100} mx="auto" gap="lg">
      <Title order={1}>重点关爱对象 · {placeName}</Title>
      <Text c="dimmed">以下为辖区内的准确数字，仅民政局工作人员可见；公开页面只显示经过小数抑制的统计。</Text>
      <SimpleGrid cols={{ base: 1, xs: 2, md: 4 }}>
        <Figure label="关爱对象" value={figures.total} />
        <Figure label="已精准对接" value={figures.matched} hint={`未对接 ${figures.unmatched} 人`} />
        <Figure label="超过 30 天未服务" value={figures.overdue} />
        <Figure label="服务记录" value={figures.services} />
      </SimpleGrid>
      <Group>
        <Button component={Link} to="/care/targets">
          对象名单
        </Button>
        <Button component={Link} to="/care/targets/new" variant="light">
          新增关爱对象
        </Button>
        <Button component={Link} to="/care/import" variant="light">
          批量导入
        </Button>
        <Button component={Link} to="/care/stats" variant="default">
          公开统计
        </Button>
      </Group>

      <Card withBorder padding="lg" component="section" aria-labelledby="links-title">
        <Title order={2} size="h3" id="links-title" mb="sm">
          一社连一村（居）结对
        </Title>
        {result?.ok ? (
          <Text c="teal.9" role="status" mb="sm">
            {result.message}
          </Text>
        ) : null}
        <FormErrorSummary formError={errors?.formError} fieldErrors={errors?.fieldErrors} />
        {links.length === 0 ? (
          <Text c="dimmed">尚未记录结对。</Text>
        ) : (
          <Table striped withTableBorder my="sm">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>社会组织</Table.Th>
                <Table.Th>社区（村）</Table.Th>
                <Table.Th>开始日期</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {links.map((l) => (
                <Table.Tr key={l.id}>
                  <Table.Td>{l.organisation}</Table.Td>
                  <Table.Td>{l.community}</Table.Td>
                  <Table.Td>{formatDate(l.startedOn)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
        {drill ? <CommunityDrill options={drill} at={at} hidden={org ? { org } : {}} /> : null}
        {organisations.more || org ? (
          <Form method="get" aria-label="按名称查找社会组织">
            {at ? <input type="hidden" name="at" value={at} /> : null}
            <Group align="flex-end" my="sm">
              <TextInput label="组织名称" name="org" defaultValue={org} placeholder="输入名称中的字" />
              <Button type="submit" variant="default">
                查找组织
              </Button>
            </Group>
          </Form>
        ) : null}
        <Form method="post">
          <Group align="flex-end">
            <NativeSelect
              label="社会组织"
              name="organisationId"
              data={[{ value: "", label: "请选择" }, ...organisations.options]}
              error={errors?.fieldErrors?.organisationId}
              description={organisations.hint}
            />
            <NativeSelect
              key={at}
              label="社区（村）"
              name="placeId"
              data={[{ value: "", label: "请选择" }, ...communities]}
              error={errors?.fieldErrors?.placeId}
              description={drill && communities.length === 0 ? "请先在上方选择街道或区县，再点“列出社区”" : undefined}
            />
            <Button type="submit" loading={busy}>
              记录结对
            </Button>
          </Group>
        </Form>
      </Card>
    </Stack>
  );
}
