import { Alert, Anchor, Badge, Button, Card, Group, Stack, Text, Textarea, Title } from "@mantine/core";
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { FormErrorSummary } from "../components/FormErrorSummary";
import { organisationScope, returnOrganisation, verificationQueue, verifyOrganisation } from "../domain/organisations/organisations.server";
import { decisionSchema } from "../domain/organisations/schema";
import { formatDateTime } from "../lib/dates";
import { parseForm } from "../lib/form";
import { requirePermission, requirePlaceScopes } from "../platform/auth.server";
import { systemClock } from "../platform/clock";
import { getDb } from "../platform/db.server";
import { domainErrorResponse, formValues, invalid, notFound } from "../platform/http.server";

export const meta: MetaFunction = () => [{ title: "社会组织查验 · 邻里守望" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { placePaths } = await requirePlaceScopes(request, context, "organisation.verify");
  return { queue: await verificationQueue(getDb(), placePaths) };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await request.formData();
  const parsed = parseForm(decisionSchema, form);
  if (!parsed.ok) return invalid({ fieldErrors: parsed.fieldErrors, formError: parsed.formError, values: parsed.values });
  const decision = parsed.data;
  const scope = await organisationScope(getDb(), decision.organisationId);
  if (!scope) notFound("组织不存在");
  const { actor, audit } = await requirePermission(request, context, "organisation.verify", { placePath: scope.placePath });
  try {
    await getDb()
      .transaction()
      .execute((trx) =>
        decision.intent === "return"
          ? returnOrganisation(trx, audit, actor, decision.organisationId, decision.reason, systemClock)
          : verifyOrganisation(trx, audit, actor, decision.organisationId, systemClock),
      );
    return data({ ok: true as const, message: decision.intent === "return" ? "已退回，组织将看到退回原因" : "已查验通过" });
  } catch (e) {
    return domainErrorResponse(e, formValues(form));
  }
}

export default function VerificationQueue() {
  const { queue } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const errors = result && !result.ok ? result : undefined;
  const failedId = errors?.values?.organisationId;
  return (
    <Stack maw={1000} mx="auto" gap="lg">
      <Title order={1}>社会组织查验</Title>
      <Text>核对登记信息与登记证书是否一致：通过后组织即可申报项目；不一致的请写明原因退回，组织修改后会重新出现在这里。</Text>
      {result?.ok ? (
        <Alert color="teal" role="status">
          {result.message}
        </Alert>
      ) : null}
      {errors && !failedId ? <FormErrorSummary formError={errors.formError} fieldErrors={errors.fieldErrors} /> : null}
      {queue.length === 0 ? <Text c="dimmed">暂无待查验的组织。</Text> : null}
      {queue.map((o) => (
        <Card key={o.id} withBorder padding="lg" component="article" aria-label={o.name}>
          <Stack gap="xs">
            <Group gap="sm">
              <Anchor component={Link} to={`/organisations/${o.id}`} fw={700} size="lg">
                {o.name}
              </Anchor>
              <Badge variant="light" size="lg" radius="sm">
                {o.type}
              </Badge>
            </Group>
            <Text>
              统一社会信用代码：<strong>{o.uscc}</strong> · 登记管理机关：{o.registeringBureau} · {o.placeName}
            </Text>
            <Text>
              地址：{o.address} · 联系人：{o.contactPerson}（{o.contactPhone}）
            </Text>
            <Text c="dimmed" size="sm">
              提交于 {formatDateTime(o.submittedAt)}
            </Text>
            <Text lineClamp={3}>{o.introduction}</Text>
            {failedId === o.id ? <FormErrorSummary formError={errors?.formError} fieldErrors={errors?.fieldErrors} /> : null}
            <Group align="flex-end">
              <Form method="post">
                <input type="hidden" name="intent" value="verify" />
                <input type="hidden" name="organisationId" value={o.id} />
                <Button type="submit" size="lg" loading={busy} aria-label={`查验通过 ${o.name}`}>
                  查验通过
                </Button>
              </Form>
              <Form method="post" noValidate style={{ flex: "1 1 300px" }}>
                <input type="hidden" name="intent" value="return" />
                <input type="hidden" name="organisationId" value={o.id} />
                <Group align="flex-end" wrap="wrap">
                  <Textarea
                    size="lg"
                    label={`退回 ${o.name} 的原因`}
                    name="reason"
                    autosize
                    minRows={1}
                    style={{ flex: "1 1 220px" }}
                    defaultValue={failedId === o.id ? String(errors?.values?.reason ?? "") : ""}
                    error={failedId === o.id ? errors?.fieldErrors?.reason : undefined}
                  />
                  <Button type="submit" size="lg" color="red" variant="light" loading={busy}>
                    退回
                  </Button>
                </Group>
              </Form>
            </Group>
          </Stack>
        </Card>
      ))}
    </Stack>
  );
}
