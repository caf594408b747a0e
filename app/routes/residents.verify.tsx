import { Alert, Badge, Button, Card, NativeSelect, Paper, Stack, Table, Text, TextInput, Title } from "@mantine/core";
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { FormErrorSummary } from "../components/FormErrorSummary";
import { communityOptions, myVerifications, requestVerification } from "../domain/residents/residents.server";
import { verificationRequestSchema } from "../domain/residents/schema";
import { formatDate } from "../lib/dates";
import { parseForm } from "../lib/form";
import { auditContext, requireUser } from "../platform/auth.server";
import { systemClock } from "../platform/clock";
import { getDb } from "../platform/db.server";
import { domainErrorResponse, invalid } from "../platform/http.server";

export const meta: MetaFunction = () => [{ title: "居民认证 · 邻里守望" }];

const STATUS = { pending: { label: "待审核", color: "yellow" }, approved: { label: "已通过", color: "teal" }, rejected: { label: "未通过", color: "red" } } as const;

export async function loader({ request, context }: LoaderFunctionArgs) {
  const actor = await requireUser(request, context);
  const db = getDb();
  const [communities, mine] = await Promise.all([communityOptions(db), myVerifications(db, actor.user.id)]);
  return { communities, mine };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const actor = await requireUser(request, context);
  const form = await request.formData();
  const parsed = parseForm(verificationRequestSchema, form);
  if (!parsed.ok) return invalid({ fieldErrors: parsed.fieldErrors, values: parsed.values });
  try {
    await getDb()
      .transaction()
      .execute((trx) => requestVerification(trx, auditContext(actor), actor.user.id, parsed.data, systemClock));
    return redirect("/residents/verify?sent=1");
  } catch (e) {
    return domainErrorResponse(e, Object.fromEntries([...form].filter(([, v]) => typeof v === "string")) as Record<string, string>);
  }
}

export default function VerifyResident() {
  const { communities, mine } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [params] = useSearchParams();
  const busy = useNavigation().state === "submitting";
  const v = (result?.values ?? {}) as Record<string, string>;
  return (
    <Stack maw={720} mx="auto">
      <Title order={1}>居民认证</Title>
      <Text>认证为社区居民后，可以为本社区议题附议、报名幸福圆桌会、评价项目。社区工作者会核对您的信息。</Text>
      {params.get("sent") ? (
        <Alert color="teal" role="status" title="申请已提交">
          社区工作者审核后，您会在“消息”中收到结果。
        </Alert>
      ) : null}
      {mine.length > 0 ? (
        <Card withBorder>
          <Title order={2} size="h4" mb="xs">
            我的申请
          </Title>
          <Table>
            <Table.Tbody>
              {mine.map((m) => (
                <Table.Tr key={m.id}>
                  <Table.Td>{m.placeName}</Table.Td>
                  <Table.Td>{formatDate(m.createdAt)}</Table.Td>
                  <Table.Td>
                    <Badge color={STATUS[m.status].color} variant="light" size="lg">
                      {STATUS[m.status].label}
                    </Badge>
                    {m.reason ? <Text size="sm">理由：{m.reason}</Text> : null}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Card>
      ) : null}
      <Paper withBorder p="md">
        <Form method="post" noValidate>
          <Stack>
            <FormErrorSummary formError={result?.formError} fieldErrors={result?.fieldErrors} />
            <NativeSelect label="居住的社区/村" name="placeId" required defaultValue={v.placeId ?? ""} error={result?.fieldErrors?.placeId} data={[{ value: "", label: "请选择" }, ...communities]} />
            <TextInput label="真实姓名" name="realName" required autoComplete="name" defaultValue={v.realName ?? ""} error={result?.fieldErrors?.realName} />
            <TextInput label="社区内住址" description="小区、楼栋、门牌号" name="address" required autoComplete="street-address" defaultValue={v.address ?? ""} error={result?.fieldErrors?.address} />
            <TextInput label="邀请码（可选）" description="社区工作者在会上发放的邀请码" name="invitationCode" defaultValue={v.invitationCode ?? ""} error={result?.fieldErrors?.invitationCode} />
            <Button type="submit" loading={busy} w="fit-content">
              提交认证申请
            </Button>
          </Stack>
        </Form>
      </Paper>
    </Stack>
  );
}
