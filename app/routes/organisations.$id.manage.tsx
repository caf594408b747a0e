import { Alert, Button, Card, Group, NativeSelect, Stack, Table, Text, TextInput, Title } from "@mantine/core";
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { FormErrorSummary } from "../components/FormErrorSummary";
import { OrganisationFields } from "../components/OrganisationFields";
import { OrganisationStatusBadge } from "../components/OrganisationStatusBadge";
import {
  changeMemberRole,
  districtOptions,
  getOrganisation,
  inviteMember,
  listMembers,
  memberRole,
  removeMember,
  updateOrganisation,
} from "../domain/organisations/organisations.server";
import { ORG_ROLE_LABELS } from "../domain/organisations/rules";
import { changeMemberRoleSchema, inviteMemberSchema, ORGANISATION_ARRAY_FIELDS, organisationSchema, removeMemberSchema } from "../domain/organisations/schema";
import { formatDate } from "../lib/dates";
import { parseForm } from "../lib/form";
import { maskPhone } from "../lib/phone";
import { requirePermission } from "../platform/auth.server";
import { getDb } from "../platform/db.server";
import { domainErrorResponse, formValues, invalid, notFound } from "../platform/http.server";

export const meta: MetaFunction = () => [{ title: "管理组织 · 邻里守望" }];

function organisationId(params: { id?: string }): string {
  const id = z.uuid().safeParse(params.id);
  if (!id.success) notFound("组织不存在");
  return id.data;
}

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const id = organisationId(params);
  const { actor } = await requirePermission(request, context, "organisation.edit", { organisationId: id });
  const db = getDb();
  const [org, members, districts, myRole] = await Promise.all([getOrganisation(db, id), listMembers(db, id), districtOptions(db), memberRole(db, id, actor.user.id)]);
  if (!org) notFound("组织不存在");
  return {
    org,
    myRole: myRole ?? null,
    members: members.map((m) => ({ ...m, phone: maskPhone(m.phone), isMe: m.userId === actor.user.id })),
    districts,
  };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const id = organisationId(params);
  const { audit } = await requirePermission(request, context, "organisation.edit", { organisationId: id });
  const form = await request.formData();
  const intent = form.get("intent");
  const db = getDb();
  try {
    if (intent === "profile") {
      const parsed = parseForm(organisationSchema, form, ORGANISATION_ARRAY_FIELDS);
      if (!parsed.ok) return invalid({ fieldErrors: parsed.fieldErrors, values: { ...parsed.values, intent: "profile" } });
      const { status } = await db.transaction().execute((trx) => updateOrganisation(trx, audit, id, parsed.data));
      return data({ ok: true as const, message: status === "pending" ? "资料已保存，已重新提交查验" : "资料已保存" });
    }
    if (intent === "invite") {
      const parsed = parseForm(inviteMemberSchema, form);
      if (!parsed.ok) return invalid({ fieldErrors: parsed.fieldErrors, values: { ...parsed.values, intent: "invite" } });
      await db.transaction().execute((trx) => inviteMember(trx, audit, id, parsed.data));
      return data({ ok: true as const, message: "已添加成员" });
    }
    if (intent === "role") {
      const parsed = parseForm(changeMemberRoleSchema, form);
      if (!parsed.ok) return invalid({ formError: Object.values(parsed.fieldErrors)[0] ?? "参数有误" });
      await db.transaction().execute((trx) => changeMemberRole(trx, audit, id, parsed.data.userId, parsed.data.orgRole));
      return data({ ok: true as const, message: "已更改成员角色" });
    }
    if (intent === "remove") {
      const parsed = parseForm(removeMemberSchema, form);
      if (!parsed.ok) return invalid({ formError: parsed.fieldErrors.userId ?? "参数有误" });
      await db.transaction().execute((trx) => removeMember(trx, audit, id, parsed.data.userId));
      return data({ ok: true as const, message: "已移除成员" });
    }
    return invalid({ formError: "未知操作" });
  } catch (e) {
    const values = { ...formValues(form), serviceAreas: form.getAll("serviceAreas").map(String) };
    return domainErrorResponse(e, values);
  }
}

export default function ManageOrganisation() {
  const { org, myRole, members, districts } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const [params] = useSearchParams();
  const errors = result && !result.ok ? result : undefined;
  const errorIntent = errors?.values?.intent;
  const profileValues =
    errorIntent === "profile"
      ? (errors?.values ?? {})
      : {
          name: org.name,
          uscc: org.uscc ?? "",
          type: org.type ?? "",
          registeringBureau: org.registeringBureau ?? "",
          placeId: String(org.placeId),
          address: org.address ?? "",
          contactPerson: org.contactPerson ?? "",
          contactPhone: org.contactPhone ?? "",
          serviceAreas: org.serviceAreas,
          introduction: org.introduction ?? "",
        };
  const isLead = myRole === "lead";
  return (
    <Stack maw={900} mx="auto" gap="lg">
      <Group gap="sm">
        <Title order={1}>管理：{org.name}</Title>
        <OrganisationStatusBadge status={org.status} />
      </Group>
      {params.get("registered") ? (
        <Alert color="teal" title="登记已提交" role="status">
          组织所在区县的民政局工作人员查验后，组织即可申报招贤榜项目。您是本组织的负责人，可以在下方添加成员。
        </Alert>
      ) : null}
      {org.status === "returned" ? (
        <Alert color="red" title="登记被退回" role="alert">
          退回原因：{org.returnReason}。修改资料并保存后将重新提交查验。
        </Alert>
      ) : null}
      {result?.ok ? (
        <Alert color="teal" role="status">
          {result.message}
        </Alert>
      ) : null}
      {errors && errorIntent !== "profile" && errorIntent !== "invite" ? <FormErrorSummary formError={errors.formError} fieldErrors={errors.fieldErrors} /> : null}
      <Button component={Link} to={`/organisations/${org.id}`} variant="default" size="lg" w="fit-content">
        查看公开主页
      </Button>

      <Card withBorder padding="lg" component="section" aria-labelledby="members">
        <Title order={2} size="h3" id="members" mb="sm">
          成员
        </Title>
        <Table.ScrollContainer minWidth={520}>
          <Table striped withTableBorder>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>称呼</Table.Th>
                <Table.Th>手机号码</Table.Th>
                <Table.Th>组织内角色</Table.Th>
                <Table.Th>加入日期</Table.Th>
                {isLead ? <Table.Th>操作</Table.Th> : null}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {members.map((m) => (
                <Table.Tr key={m.userId}>
                  <Table.Td>
                    {m.displayName}
                    {m.isMe ? "（我）" : ""}
                  </Table.Td>
                  <Table.Td>{m.phone}</Table.Td>
                  <Table.Td>{ORG_ROLE_LABELS[m.orgRole]}</Table.Td>
                  <Table.Td>{formatDate(m.joinedAt)}</Table.Td>
                  {isLead ? (
                    <Table.Td>
                      <Group gap="xs" wrap="nowrap">
                        <Form method="post">
                          <input type="hidden" name="intent" value="role" />
                          <input type="hidden" name="userId" value={m.userId} />
                          <input type="hidden" name="orgRole" value={m.orgRole === "lead" ? "member" : "lead"} />
                          <Button type="submit" variant="light" size="md" loading={busy} aria-label={`将 ${m.displayName} 设为${m.orgRole === "lead" ? "成员" : "负责人"}`}>
                            设为{m.orgRole === "lead" ? "成员" : "负责人"}
                          </Button>
                        </Form>
                        <Form method="post">
                          <input type="hidden" name="intent" value="remove" />
                          <input type="hidden" name="userId" value={m.userId} />
                          <Button type="submit" variant="light" color="red" size="md" loading={busy} aria-label={`移除 ${m.displayName}`}>
                            移除
                          </Button>
                        </Form>
                      </Group>
                    </Table.Td>
                  ) : null}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
        {isLead ? (
          <Form method="post" noValidate aria-label="添加成员">
            <input type="hidden" name="intent" value="invite" />
            <Stack mt="md">
              {errorIntent === "invite" ? <FormErrorSummary formError={errors?.formError} fieldErrors={errors?.fieldErrors} /> : null}
              <Group align="flex-end">
                <TextInput
                  size="lg"
                  label="成员手机号码"
                  name="phone"
                  type="tel"
                  inputMode="numeric"
                  description="对方需已在本平台注册"
                  defaultValue={errorIntent === "invite" ? String(errors?.values?.phone ?? "") : ""}
                  error={errorIntent === "invite" ? errors?.fieldErrors?.phone : undefined}
                />
                <NativeSelect
                  size="lg"
                  label="组织内角色"
                  name="orgRole"
                  defaultValue="member"
                  data={[
                    { value: "member", label: "成员" },
                    { value: "lead", label: "负责人" },
                  ]}
                />
                <Button type="submit" size="lg" loading={busy}>
                  添加成员
                </Button>
              </Group>
            </Stack>
          </Form>
        ) : (
          <Text c="dimmed" mt="sm">
            只有负责人可以添加或移除成员。
          </Text>
        )}
      </Card>

      <Card withBorder padding="lg" component="section" aria-labelledby="profile">
        <Title order={2} size="h3" id="profile" mb="sm">
          组织资料
        </Title>
        <Form method="post" noValidate>
          <input type="hidden" name="intent" value="profile" />
          <Stack>
            {errorIntent === "profile" ? <FormErrorSummary formError={errors?.formError} fieldErrors={errors?.fieldErrors} /> : null}
            <OrganisationFields
              values={profileValues}
              errors={errorIntent === "profile" ? errors?.fieldErrors : undefined}
              districts={districts}
              identityLocked={org.status === "verified"}
            />
            <Button type="submit" size="lg" loading={busy}>
              {org.status === "returned" ? "保存并重新提交查验" : "保存资料"}
            </Button>
          </Stack>
        </Form>
      </Card>
    </Stack>
  );
}
