import { Alert, Button, Code, Group, Stack, Text, Textarea, Title } from "@mantine/core";
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { FormErrorSummary } from "../components/FormErrorSummary";
import { careActor, canSeeTarget } from "../domain/care/access.server";
import { unmaskTarget } from "../domain/care/care.server";
import { unmaskSchema } from "../domain/care/schema";
import { parseForm } from "../lib/form";
import { auditContext, requirePermission, requireUser } from "../platform/auth.server";
import { getDb } from "../platform/db.server";
import { domainErrorResponse, invalid, notFound } from "../platform/http.server";

export const meta: MetaFunction = () => [{ title: "查看完整证件号码 · 邻里守望" }, { name: "robots", content: "noindex" }];

const NO_STORE = { "Cache-Control": "no-store" };

/** Someone who may not see the target gets a 404; a matched carer who may see it but not unmask, a 403. */
async function gate(request: Request, context: LoaderFunctionArgs["context"], targetId: string) {
  const user = await requireUser(request, context);
  const access = await canSeeTarget(getDb(), careActor(user), targetId);
  if (!access) notFound("关爱对象不存在，或您无权查看");
  return requirePermission(request, context, "care.unmask", { placePath: access.placePath });
}

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  await gate(request, context, params.id!);
  return data({ targetId: params.id! }, { headers: NO_STORE });
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { actor } = await gate(request, context, params.id!);
  const parsed = parseForm(unmaskSchema, await request.formData());
  if (!parsed.ok) return invalid({ fieldErrors: parsed.fieldErrors, values: parsed.values });
  try {
    const shown = await getDb()
      .transaction()
      .execute((trx) => unmaskTarget(trx, careActor(actor), auditContext(actor), params.id!, parsed.data.reason));
    return data({ ok: true as const, shown }, { headers: NO_STORE });
  } catch (e) {
    return domainErrorResponse(e);
  }
}

export default function Unmask() {
  const { targetId } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const errors = result && !result.ok ? result : undefined;
  return (
    <Stack maw={640} mx="auto" gap="lg">
      <Title order={1}>查看完整证件号码</Title>
      {result?.ok ? (
        <Alert color="orange" title="请勿抄录或转发" role="status">
          <Stack gap="xs">
            <Text>
              身份证号码：<Code fz="lg" data-testid="id-full">{result.shown.idNumber}</Code>
            </Text>
            {result.shown.phone ? <Text>联系电话：{result.shown.phone}</Text> : null}
            {result.shown.guardianPhone ? <Text>监护人电话：{result.shown.guardianPhone}</Text> : null}
            <Text size="sm">本次查看及原因已记入审计日志。离开或刷新本页后号码不再显示。</Text>
          </Stack>
        </Alert>
      ) : (
        <Form method="post" noValidate>
          <Stack>
            <Text>完整号码只在确有需要时查看（如办理救助、核对身份）。查看原因和您的身份会记入审计日志，并出现在对象的访问记录中。</Text>
            <FormErrorSummary formError={errors?.formError} fieldErrors={errors?.fieldErrors} />
            <Textarea label="查看原因" name="reason" required minRows={2} autosize error={errors?.fieldErrors?.reason} defaultValue={(errors?.values?.reason as string) ?? ""} />
            <Group>
              <Button type="submit" loading={busy} color="orange">
                查看完整号码
              </Button>
            </Group>
          </Stack>
        </Form>
      )}
      <Button component={Link} to={`/care/targets/${targetId}`} variant="default" w="fit-content">
        返回对象页面
      </Button>
    </Stack>
  );
}
