import { Anchor, Badge, Button, Card, Group, NativeSelect, SimpleGrid, Stack, Text, Title } from "@mantine/core";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { OrganisationStatusBadge } from "../components/OrganisationStatusBadge";
import { districtOptions, listOrganisations, myOrganisations } from "../domain/organisations/organisations.server";
import { ORG_ROLE_LABELS } from "../domain/organisations/rules";
import { ORGANISATION_TYPES } from "../domain/vocabulary";
import { getActor } from "../platform/auth.server";
import { getDb } from "../platform/db.server";

export const meta: MetaFunction = () => [{ title: "社会组织 · 邻里守望" }];

const PAGE = 30;
const querySchema = z.object({
  district: z.coerce.number().int().positive().optional().catch(undefined),
  type: z.enum(ORGANISATION_TYPES).optional().catch(undefined),
  verified: z.enum(["yes", "no"]).optional().catch(undefined),
  after: z.uuid().optional().catch(undefined),
});

export async function loader({ request, context }: LoaderFunctionArgs) {
  const db = getDb();
  const url = new URL(request.url);
  const q = querySchema.parse(Object.fromEntries(url.searchParams));
  const actor = await getActor(request, context);
  const [rows, districts, mine] = await Promise.all([
    listOrganisations(db, { placeId: q.district, type: q.type, verified: q.verified, after: q.after, limit: PAGE }),
    districtOptions(db),
    actor.user ? myOrganisations(db, actor.user.id) : Promise.resolve([]),
  ]);
  const next = new URLSearchParams();
  if (q.district) next.set("district", String(q.district));
  if (q.type) next.set("type", q.type);
  if (q.verified) next.set("verified", q.verified);
  if (rows.length === PAGE) next.set("after", rows[rows.length - 1].id);
  return {
    rows,
    districts,
    mine,
    signedIn: actor.user !== null,
    filter: { district: q.district ? String(q.district) : "", type: q.type ?? "", verified: q.verified ?? "" },
    firstPage: !q.after,
    nextHref: rows.length === PAGE ? `?${next.toString()}` : null,
  };
}

export default function Organisations() {
  const { rows, districts, mine, signedIn, filter, firstPage, nextHref } = useLoaderData<typeof loader>();
  return (
    <Stack maw={1100} mx="auto" gap="lg">
      <Group justify="space-between" align="flex-end">
        <Stack gap={4}>
          <Title order={1}>社会组织</Title>
          <Text c="dimmed">参与“四项行动”的社区社会组织。“已查验”表示登记信息已由民政局核对。</Text>
        </Stack>
        <Button component={Link} to={signedIn ? "/organisations/new" : "/login?redirectTo=%2Forganisations%2Fnew"} size="lg">
          登记社会组织
        </Button>
      </Group>

      {mine.length > 0 ? (
        <Card withBorder padding="lg" component="section" aria-labelledby="mine">
          <Title order={2} size="h4" id="mine" mb="xs">
            我所在的组织
          </Title>
          <Stack gap="xs">
            {mine.map((o) => (
              <Group key={o.id} gap="sm">
                <Anchor component={Link} to={`/organisations/${o.id}/manage`} size="lg">
                  {o.name}
                </Anchor>
                <Text c="dimmed">{ORG_ROLE_LABELS[o.orgRole]}</Text>
                <OrganisationStatusBadge status={o.status} size="md" />
              </Group>
            ))}
          </Stack>
        </Card>
      ) : null}

      <Form method="get" aria-label="筛选社会组织">
        <Group align="flex-end">
          <NativeSelect size="lg" label="所在区县" name="district" defaultValue={filter.district} data={[{ value: "", label: "全部区县" }, ...districts]} />
          <NativeSelect size="lg" label="组织类型" name="type" defaultValue={filter.type} data={[{ value: "", label: "全部类型" }, ...ORGANISATION_TYPES]} />
          <NativeSelect
            size="lg"
            label="查验状态"
            name="verified"
            defaultValue={filter.verified}
            data={[
              { value: "", label: "全部" },
              { value: "yes", label: "已查验" },
              { value: "no", label: "未查验" },
            ]}
          />
          <Button type="submit" size="lg" variant="default">
            筛选
          </Button>
        </Group>
      </Form>

      {rows.length === 0 ? <Text c="dimmed">{firstPage ? "没有符合条件的组织。" : "没有更多了。"}</Text> : null}
      <SimpleGrid cols={{ base: 1, sm: 2, md: 3 }}>
        {rows.map((o) => (
          <Card key={o.id} withBorder padding="md" component="article" aria-label={o.name}>
            <Stack gap={6}>
              <Anchor component={Link} to={`/organisations/${o.id}`} fw={700} size="lg">
                {o.name}
              </Anchor>
              <Group gap="xs">
                <OrganisationStatusBadge status={o.status} size="md" />
                <Text size="sm">{o.placeName}</Text>
                {o.type ? <Text size="sm">· {o.type}</Text> : null}
              </Group>
              <Group gap={4}>
                {o.serviceAreas.map((a) => (
                  <Badge key={a} variant="outline" radius="sm">
                    {a}
                  </Badge>
                ))}
              </Group>
            </Stack>
          </Card>
        ))}
      </SimpleGrid>
      {nextHref ? (
        <Button component={Link} to={nextHref} size="lg" variant="default" w="fit-content">
          下一页
        </Button>
      ) : null}
    </Stack>
  );
}
