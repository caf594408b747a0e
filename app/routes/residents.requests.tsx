import { Alert, Button, Card, Group, Stack, Text, TextInput, Title } from "@mantine/core";
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { FormErrorSummary } from "../components/FormErrorSummary";
import { decideVerification, listVerificationRequests, verificationPlacePath } from "../domain/residents/residents.server";
import { verificationDecisionSchema } from "../domain/residents/schema";
import { formatDateTime } from "../lib/dates";
import { parseForm } from "../lib/form";
import { maskPhone } from "../lib/phone";
import { requirePermission, requireUser } from "../platform/auth.server";
import { systemClock } from "../platform/clock";
import { getDb } from "../platform/db.server";
import { domainErrorResponse, invalid } from "../platform/http.server";

export const meta: MetaFunction = () => [{ title: "居民认证审核 · 邻里守望" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const actor = await requireUser(request, context);
  const paths = actor.roles.filter((r) => r.role === "community_staff" && r.placePath).map((r) => r.placePath!);
  if (paths.length === 0) throw new Response("只有社区工作者可以审核居民认证", { status: 403 });
  const rows = await listVerificationRequests(getDb(), paths);
  return { rows: rows.map((r) => ({ ...r, phone: maskPhone(r.phone) })) };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await request.formData();
  const parsed = parseForm(verificationDecisionSchema, form);
  if (!parsed.ok) return invalid({ fieldErrors: parsed.fieldErrors, values: parsed.values });
  const placePath = await verificationPlacePath(getDb(), parsed.data.verificationId);
  if (!placePath) return invalid({ formError: "申请不存在" });
  const { audit } = await requirePermission(request, context, "resident.verify", { placePath });
  try {
    await getDb()
      .transaction()
      .execute((trx) => decideVerification(trx, audit, parsed.data, systemClock));
    return data({ ok: true as const, message: parsed.data.decision === "approve" ? "已通过认证" : "已驳回" });
  } catch (e) {
    return domainErrorResponse(e);
  }
}

export default function VerificationRequests() {
  const { rows } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  return (
    <Stack maw={900} mx="auto">
      <Title order={1}>居民认证审核</Title>
      {result?.ok ? (
        <Alert color="teal" role="status">
          {result.message}
        </Alert>
      ) : (
        <FormErrorSummary formError={result?.formError} fieldErrors={result?.fieldErrors} />
      )}
      {rows.length === 0 ? <Text c="dimmed">没有待审核的申请。</Text> : null}
      {rows.map((r) => (
        <Card key={r.id} withBorder component="article" aria-label={`${r.realName}的认证申请`}>
          <Text fw={700}>
            {r.realName}（{r.displayName}，{r.phone}）
          </Text>
          <Text>
            {r.placeName} · {r.address}
            {r.invitationCode ? ` · 邀请码 ${r.invitationCode}` : ""}
          </Text>
          <Text size="sm" c="dimmed">
            申请时间 {formatDateTime(r.createdAt)}
          </Text>
          <Group mt="sm" align="flex-end">
            <Form method="post">
              <input type="hidden" name="verificationId" value={r.id} />
              <input type="hidden" name="decision" value="approve" />
              <Button type="submit" loading={busy} aria-label={`通过 ${r.realName}`}>
                通过
              </Button>
            </Form>
            <Form method="post">
              <input type="hidden" name="verificationId" value={r.id} />
              <input type="hidden" name="decision" value="reject" />
              <Group align="flex-end" gap="xs">
                <TextInput label="驳回理由" name="reason" />
                <Button type="submit" color="red" variant="light" loading={busy} aria-label={`驳回 ${r.realName}`}>
                  驳回
                </Button>
              </Group>
            </Form>
          </Group>
        </Card>
      ))}
    </Stack>
  );
}
