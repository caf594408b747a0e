import { Alert, Anchor, Badge, Button, Card, NativeSelect, Stack, Table, Text, Title } from "@mantine/core";
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { FormErrorSummary } from "../components/FormErrorSummary";
import { ServiceFields } from "../components/ServiceFields";
import { careActor } from "../domain/care/access.server";
import { logService, myTargets, todayOf } from "../domain/care/care.server";
import { CARER_KIND_LABELS, serviceSchema } from "../domain/care/schema";
import { formatDate } from "../lib/dates";
import { parseForm } from "../lib/form";
import { auditContext, requireUser } from "../platform/auth.server";
import { systemClock } from "../platform/clock";
import { getDb } from "../platform/db.server";
import { domainErrorResponse, formValues, invalid } from "../platform/http.server";

export const meta: MetaFunction = () => [{ title: "我的关爱服务 · 邻里守望" }];

/** A carer's own list: only the targets matched to them (or their organisation) right now. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const targets = await getDb()
    .transaction()
    .execute((trx) => myTargets(trx, careActor(user), auditContext(user), systemClock));
  return data({ targets, today: todayOf(systemClock) }, { headers: { "Cache-Control": "no-store" } });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  const form = await request.formData();
  const parsed = parseForm(serviceSchema, form);
  if (!parsed.ok) return invalid({ fieldErrors: parsed.fieldErrors, values: parsed.values });
  try {
    await getDb()
      .transaction()
      .execute((trx) => logService(trx, careActor(user), auditContext(user), systemClock, parsed.data));
    return redirect("/care/my?logged=1");
  } catch (e) {
    return domainErrorResponse(e, formValues(form));
  }
}

export default function MyCare() {
  const { targets, today } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const [params] = useSearchParams();
  const values = (result?.values ?? {}) as Record<string, string>;
  return (
    <Stack maw={1000} mx="auto" gap="lg">
      <Title order={1}>我的关爱服务</Title>
      {params.get("logged") ? (
        <Alert color="teal" role="status" title="已记录服务">
          {null}
        </Alert>
      ) : null}
      {targets.length === 0 ? (
        <Text c="dimmed">您（或您所在的组织）目前没有对接的关爱对象。对接由民政局工作人员安排。</Text>
      ) : (
        <>
          <Table.ScrollContainer minWidth={560}>
            <Table striped withTableBorder>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>对象</Table.Th>
                  <Table.Th>社区（村）</Table.Th>
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
                    <Table.Td>{t.community}</Table.Td>
                    <Table.Td>
                      {CARER_KIND_LABELS[t.kind]}
                      {t.organisationName ? `（${t.organisationName}）` : ""} · {formatDate(t.startedOn)} 起
                    </Table.Td>
                    <Table.Td>
                      {t.lastServiceOn ? formatDate(t.lastServiceOn) : "尚无"}{" "}
                      {t.overdue ? (
                        <Badge color="orange" variant="light" radius="sm">
                          超过 30 天
                        </Badge>
                      ) : null}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          <Card withBorder padding="lg" component="section" aria-labelledby="log-title">
            <Title order={2} size="h3" id="log-title" mb="sm">
              记录一次服务
            </Title>
            <Form method="post">
              <Stack gap="sm">
                <FormErrorSummary formError={result?.formError} fieldErrors={result?.fieldErrors} />
                <NativeSelect label="关爱对象" name="targetId" defaultValue={values.targetId ?? ""} error={result?.fieldErrors?.targetId} data={[{ value: "", label: "请选择" }, ...targets.map((t) => ({ value: t.id, label: `${t.name}（${t.community}）` }))]} />
                <ServiceFields today={today} value={(k, d = "") => values[k] ?? d} errors={result?.fieldErrors} />
                <Button type="submit" loading={busy} w="fit-content">
                  保存服务记录
                </Button>
              </Stack>
            </Form>
          </Card>
        </>
      )}
    </Stack>
  );
}
