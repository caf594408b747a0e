import { Alert, Anchor, Badge, Button, Group, NativeSelect, Stack, Table, Text, TextInput, Title } from "@mantine/core";
import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { careActor, careScopes } from "../domain/care/access.server";
import { listTargets } from "../domain/care/care.server";
import { getPlace, placeOptionsInScope, placeSelectOptions } from "../domain/places/places.server";
import { formatDate } from "../lib/dates";
import { requirePermission, requireUser } from "../platform/auth.server";
import { getDb } from "../platform/db.server";
import { throwAsResponse } from "../platform/http.server";

export const meta: MetaFunction = () => [{ title: "关爱对象名单 · 邻里守望" }];

const LIMIT = 50;
const querySchema = z.object({
  q: z.string().trim().max(40).optional().catch(undefined),
  place: z.coerce.number().int().positive().optional().catch(undefined),
});

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const scopes = careScopes(careActor(user), "care.read");
  const { actor, audit } = await requirePermission(request, context, "care.read", { placePath: scopes[0]?.placePath ?? null });
  const query = querySchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  const db = getDb();
  try {
    const targets = await db.transaction().execute((trx) => listTargets(trx, careActor(actor), audit, { q: query.q, placeId: query.place, limit: LIMIT }));
    // The scopes' roots and the chosen place's neighbourhood: one drills down (a city's scope holds ~1,800 communities).
    const scopePaths = scopes.map((s) => s.placePath!);
    const chosen = (query.place ? await getPlace(db, query.place) : undefined) ?? (await getPlace(db, scopes[0]!.placeId!));
    const places = chosen ? await placeOptionsInScope(db, scopePaths, chosen, "community") : [];
    return data(
      {
        targets,
        q: query.q ?? "",
        place: query.place ? String(query.place) : "",
        places: placeSelectOptions(places, false),
        exportPlace: query.place ?? careScopes(careActor(actor), "care.export")[0]?.placeId ?? null,
        limit: LIMIT,
      },
      { headers: { "Cache-Control": "no-store" } },
    );
  } catch (e) {
    throwAsResponse(e);
  }
}

export default function CareTargets() {
  const { targets, q, place, places, exportPlace, limit } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const imported = params.get("imported");
  return (
    <Stack maw={1200} mx="auto" gap="lg">
      <Group justify="space-between">
        <Title order={1}>关爱对象名单</Title>
        <Group>
          <Button component={Link} to="/care/targets/new">
            新增关爱对象
          </Button>
          <Button component={Link} to="/care/import" variant="light">
            批量导入
          </Button>
        </Group>
      </Group>
      {imported ? (
        <Alert color="teal" role="status" title="导入完成">
          已导入 {imported} 名关爱对象。
        </Alert>
      ) : null}
      <Text c="dimmed">身份证号码和电话均已脱敏。每次查看名单和对象详情都会记入审计日志。</Text>
      <Form method="get">
        <Group align="flex-end">
          <TextInput label="姓名或完整身份证号码" name="q" defaultValue={q} style={{ flex: "1 1 220px", maxWidth: 320 }} />
          {/* Keyed: the options change with the chosen place, and a mounted select keeps its old position. */}
          <NativeSelect key={place} label="地区" name="place" defaultValue={place} data={[{ value: "", label: "全部" }, ...places]} />
          <Button type="submit" variant="default">
            查找
          </Button>
        </Group>
      </Form>
      <Table.ScrollContainer minWidth={760}>
        <Table striped withTableBorder>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>姓名</Table.Th>
              <Table.Th>身份证号码</Table.Th>
              <Table.Th>电话</Table.Th>
              <Table.Th>社区（村）</Table.Th>
              <Table.Th>群体</Table.Th>
              <Table.Th>对接</Table.Th>
              <Table.Th>最近服务</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {targets.map((t) => (
              <Table.Tr key={t.id}>
                <Table.Td>
                  <Anchor component={Link} to={`/care/targets/${t.id}`}>
                    {t.name}
                  </Anchor>
                </Table.Td>
                <Table.Td ff="monospace">{t.idMasked}</Table.Td>
                <Table.Td>{t.phoneMasked ?? "—"}</Table.Td>
                <Table.Td>{t.community}</Table.Td>
                <Table.Td>
                  <Group gap={4}>
                    {t.groups.map((g) => (
                      <Badge key={g} variant="light" radius="sm">
                        {g}
                      </Badge>
                    ))}
                  </Group>
                </Table.Td>
                <Table.Td>{t.activeMatches > 0 ? `${t.activeMatches} 方` : <Text c="red.9">未对接</Text>}</Table.Td>
                <Table.Td>{t.lastServiceOn ? formatDate(t.lastServiceOn) : "—"}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {targets.length === 0 ? <Text c="dimmed">没有符合条件的关爱对象。</Text> : null}
      {targets.length === limit ? <Text c="dimmed">只显示最近录入的 {limit} 名，请用姓名或地区缩小范围。</Text> : null}
      {exportPlace ? (
        <Form method="post" action="/care/export">
          <input type="hidden" name="placeId" value={exportPlace} />
          <Button type="submit" variant="default">
            导出名单（CSV，已脱敏，记入审计）
          </Button>
        </Form>
      ) : null}
    </Stack>
  );
}
