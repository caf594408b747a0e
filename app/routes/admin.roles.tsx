import { Badge, Button, Card, Group, NativeSelect, Stack, Table, Text, TextInput, Title } from "@mantine/core";
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { FormErrorSummary } from "../components/FormErrorSummary";
import { assignRole, listRoleAssignments, revokeRole, searchUsers } from "../domain/accounts/accounts.server";
import { ROLE_CODES, ROLE_LABELS } from "../domain/accounts/roles";
import { assignRoleSchema, revokeRoleSchema } from "../domain/accounts/schema";
import { organisationChoices } from "../domain/organisations/organisations.server";
import { getPlace, placeOptionsNear, placesAreMany, placeSelectOptions } from "../domain/places/places.server";
import { formatDate } from "../lib/dates";
import { parseForm } from "../lib/form";
import { maskPhone } from "../lib/phone";
import { requirePermission } from "../platform/auth.server";
import { getDb } from "../platform/db.server";
import { domainErrorResponse, invalid } from "../platform/http.server";

export const meta: MetaFunction = () => [{ title: "角色管理 · 邻里守望" }];

const querySchema = z.object({
  q: z.string().trim().max(40).optional().catch(undefined),
  user: z.uuid().optional().catch(undefined),
  /** The place whose neighbourhood the place select lists (a province has too many for one list). */
  at: z.coerce.number().int().positive().optional().catch(undefined),
  /** Words of an organisation's name (a province has 30,000). */
  org: z.string().trim().max(40).optional().catch(undefined),
});

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requirePermission(request, context, "admin.roles.manage");
  const db = getDb();
  const query = querySchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  const at = query.at ? await getPlace(db, query.at) : undefined;
  const [users, places, manyPlaces, organisations] = await Promise.all([
    searchUsers(db, { q: query.q, limit: 30 }),
    placeOptionsNear(db, at),
    placesAreMany(db),
    organisationChoices(db, query.org),
  ]);
  const selected = query.user ? await db.selectFrom("users").select(["id", "display_name", "phone"]).where("id", "=", query.user).executeTakeFirst() : undefined;
  const roles = selected ? await listRoleAssignments(db, selected.id) : [];
  return {
    q: query.q ?? "",
    users: users.map((u) => ({ ...u, phone: maskPhone(u.phone) })),
    selected: selected ? { id: selected.id, name: selected.display_name, phone: maskPhone(selected.phone) } : null,
    roles,
    places: placeSelectOptions(places),
    at: at ? { id: at.id, name: at.name } : null,
    manyPlaces,
    org: query.org ?? "",
    organisations,
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { audit } = await requirePermission(request, context, "admin.roles.manage");
  const form = await request.formData();
  const intent = form.get("intent");
  try {
    if (intent === "assign") {
      const parsed = parseForm(assignRoleSchema, form);
      if (!parsed.ok) return invalid({ fieldErrors: parsed.fieldErrors, values: parsed.values });
      await getDb().transaction().execute((trx) => assignRole(trx, audit, parsed.data));
      return data({ ok: true as const, message: "已授予角色" });
    }
    if (intent === "revoke") {
      const parsed = parseForm(revokeRoleSchema, form);
      if (!parsed.ok) return invalid({ formError: parsed.fieldErrors.assignmentId ?? "参数有误" });
      await getDb().transaction().execute((trx) => revokeRole(trx, audit, parsed.data.assignmentId));
      return data({ ok: true as const, message: "已撤销角色" });
    }
    return invalid({ formError: "未知操作" });
  } catch (e) {
    return domainErrorResponse(e);
  }
}

export default function AdminRoles() {
  const { q, users, selected, roles, places, at, manyPlaces, org, organisations } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const errors = result && !result.ok ? result : undefined;
  const values = (errors?.values ?? {}) as Record<string, string>;
  return (
    <Stack maw={1100} mx="auto" gap="lg">
      <Title order={1}>角色管理</Title>
      <Form method="get">
        <Group align="flex-end">
          <TextInput label="查找用户" name="q" defaultValue={q} placeholder="手机号码或称呼" style={{ flex: "1 1 240px", maxWidth: 360 }} />
          <Button type="submit" variant="default">
            查找
          </Button>
        </Group>
      </Form>
      <Table striped withTableBorder>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>称呼</Table.Th>
            <Table.Th>手机号码</Table.Th>
            <Table.Th>注册日期</Table.Th>
            <Table.Th>操作</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {users.map((u) => (
            <Table.Tr key={u.id}>
              <Table.Td>{u.displayName}</Table.Td>
              <Table.Td>{u.phone}</Table.Td>
              <Table.Td>{formatDate(u.createdAt)}</Table.Td>
              <Table.Td>
                <Button component={Link} to={`?q=${encodeURIComponent(q)}&user=${u.id}`} size="compact-md" variant="light" aria-label={`管理 ${u.displayName} 的角色`}>
                  管理角色
                </Button>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {users.length === 0 ? <Text c="dimmed">没有找到用户。</Text> : null}

      {selected ? (
        <Card withBorder padding="lg" component="section" aria-labelledby="selected-user">
          <Title order={2} size="h3" id="selected-user" mb="sm">
            {selected.name}（{selected.phone}）的角色
          </Title>
          {result?.ok ? (
            <Text c="teal.9" role="status" mb="sm">
              {result.message}
            </Text>
          ) : null}
          <FormErrorSummary formError={errors?.formError} fieldErrors={errors?.fieldErrors} />
          <Stack gap="xs" my="md">
            {roles.length === 0 ? <Text c="dimmed">暂无角色。</Text> : null}
            {roles.map((r) => (
              <Group key={r.id} justify="space-between" wrap="nowrap">
                <Group gap="xs">
                  <Badge size="lg" radius="sm" variant="light">
                    {ROLE_LABELS[r.role]}
                  </Badge>
                  <Text>{r.placeName ?? r.organisationName ?? "全局"}</Text>
                </Group>
                <Form method="post">
                  <input type="hidden" name="intent" value="revoke" />
                  <input type="hidden" name="assignmentId" value={r.id} />
                  <Button type="submit" color="red" variant="light" loading={busy} aria-label={`撤销 ${ROLE_LABELS[r.role]}`}>
                    撤销
                  </Button>
                </Form>
              </Group>
            ))}
          </Stack>
          {manyPlaces || organisations.more || org ? (
            <Form method="get" aria-label="缩小地区和组织的选择范围">
              <input type="hidden" name="q" value={q} />
              <input type="hidden" name="user" value={selected.id} />
              <Text size="sm" c="dimmed" mb="xs">
                地区和组织很多时，下面的选择框只列出一部分：先选上级地区、输入组织名称，再点“更新选项”。
              </Text>
              <Group align="flex-end" mb="md">
                {manyPlaces ? (
                  <NativeSelect
                    key={at?.id ?? ""}
                    label="展开地区"
                    name="at"
                    defaultValue={at ? String(at.id) : ""}
                    data={[{ value: "", label: "不展开（只列到区/县）" }, ...places]}
                    style={{ minWidth: 240 }}
                  />
                ) : null}
                <TextInput label="组织名称" name="org" defaultValue={org} placeholder="输入名称中的字" style={{ minWidth: 200 }} />
                <Button type="submit" variant="default">
                  更新选项
                </Button>
              </Group>
            </Form>
          ) : null}
          <Form method="post">
            <input type="hidden" name="intent" value="assign" />
            <input type="hidden" name="userId" value={selected.id} />
            <Group align="flex-end">
              <NativeSelect
                label="角色"
                name="role"
                defaultValue={values.role ?? ""}
                error={errors?.fieldErrors?.role}
                data={[{ value: "", label: "请选择" }, ...ROLE_CODES.map((c) => ({ value: c, label: ROLE_LABELS[c] }))]}
              />
              <NativeSelect
                key={`${at?.id ?? ""}:${values.placeId ?? ""}`}
                label="地区范围"
                name="placeId"
                defaultValue={values.placeId ?? (at ? String(at.id) : "")}
                error={errors?.fieldErrors?.placeId}
                data={[{ value: "", label: "（不限 / 不适用）" }, ...places]}
                style={{ minWidth: 240 }}
              />
              <NativeSelect
                label="所属组织"
                name="organisationId"
                defaultValue={values.organisationId ?? ""}
                error={errors?.fieldErrors?.organisationId}
                data={[{ value: "", label: "（不适用）" }, ...organisations.options]}
                description={organisations.hint}
                style={{ minWidth: 240 }}
              />
              <Button type="submit" loading={busy}>
                授予角色
              </Button>
            </Group>
          </Form>
        </Card>
      ) : null}
    </Stack>
  );
}
