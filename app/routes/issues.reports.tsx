import { Alert, Anchor, Button, Card, Group, Stack, Text, TextInput, Title } from "@mantine/core";
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { FormErrorSummary } from "../components/FormErrorSummary";
import { listOpenReports, reportTarget, resolveReport } from "../domain/issues/issues.server";
import { resolveReportSchema } from "../domain/issues/schema";
import { formatDateTime } from "../lib/dates";
import { parseForm } from "../lib/form";
import { requirePermission, requireUser } from "../platform/auth.server";
import { systemClock } from "../platform/clock";
import { getDb } from "../platform/db.server";
import { domainErrorResponse, invalid } from "../platform/http.server";

export const meta: MetaFunction = () => [{ title: "举报处理 · 邻里守望" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const actor = await requireUser(request, context);
  const paths = actor.roles.filter((r) => r.role === "community_staff" && r.placePath).map((r) => r.placePath!);
  if (paths.length === 0) throw new Response("只有社区工作者可以处理举报", { status: 403 });
  return { reports: await listOpenReports(getDb(), paths) };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await request.formData();
  const parsed = parseForm(resolveReportSchema, form);
  if (!parsed.ok) return invalid({ fieldErrors: parsed.fieldErrors, values: parsed.values });
  const target = await reportTarget(getDb(), parsed.data.reportId);
  if (!target) return invalid({ formError: "举报不存在" });
  const { audit } = await requirePermission(request, context, "issue.moderate", { placePath: target.placePath });
  try {
    await getDb()
      .transaction()
      .execute((trx) => resolveReport(trx, audit, parsed.data, systemClock));
    return data({ ok: true as const, message: parsed.data.resolution === "hide" ? "已隐藏，并已通知作者" : "已驳回举报" });
  } catch (e) {
    return domainErrorResponse(e);
  }
}

export default function Reports() {
  const { reports } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  return (
    <Stack maw={900} mx="auto">
      <Title order={1}>举报处理</Title>
      {result?.ok ? (
        <Alert color="teal" role="status">
          {result.message}
        </Alert>
      ) : (
        <FormErrorSummary formError={result?.formError} fieldErrors={result?.fieldErrors} />
      )}
      {reports.length === 0 ? <Text c="dimmed">没有待处理的举报。</Text> : null}
      {reports.map((r) => (
        <Card key={r.id} withBorder component="article">
          <Text fw={700}>
            {r.commentId ? "评论" : "议题"}：
            <Anchor component={Link} to={`/issues/${r.issueId}`}>
              {r.issueTitle}
            </Anchor>
          </Text>
          {r.commentBody ? <Text>“{r.commentBody}”</Text> : null}
          <Text>举报理由：{r.reason}</Text>
          <Text size="sm" c="dimmed">
            {r.placeName} · {r.reporterName} · {formatDateTime(r.createdAt)}
          </Text>
          <Form method="post">
            <input type="hidden" name="reportId" value={r.id} />
            <Group align="flex-end" mt="sm">
              <TextInput label="处理说明（隐藏时必填，会告知作者）" name="note" style={{ flex: "1 1 240px" }} />
              <Button type="submit" name="resolution" value="hide" color="red" loading={busy}>
                隐藏内容
              </Button>
              <Button type="submit" name="resolution" value="dismiss" variant="default" loading={busy}>
                驳回举报
              </Button>
            </Group>
          </Form>
        </Card>
      ))}
    </Stack>
  );
}
