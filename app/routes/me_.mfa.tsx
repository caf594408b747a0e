import { Alert, Button, Container, Group, Paper, Stack, Text, Title } from "@mantine/core";
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { FormErrorSummary } from "../components/FormErrorSummary";
import { EnrolmentInstructions, RecoveryCodes, TotpCodeField } from "../components/Mfa";
import {
  confirmEnrolment,
  disableMfa,
  enrolmentView,
  mfaRequired,
  mfaState,
  pendingSecret,
  recentlyAuthenticated,
  regenerateRecoveryCodes,
} from "../domain/accounts/mfa.server";
import { mfaCodeSchema } from "../domain/accounts/schema";
import { parseForm } from "../lib/form";
import { auditContext, requireUser } from "../platform/auth.server";
import { systemClock } from "../platform/clock";
import { getDb } from "../platform/db.server";
import { domainErrorResponse, invalid } from "../platform/http.server";

export const meta: MetaFunction = () => [{ title: "两步验证 · 邻里守望" }];

/** Changing the authenticator needs a fresh password (+ code): re-authenticate first. */
async function requireFresh(request: Request, context: LoaderFunctionArgs["context"]) {
  const actor = await requireUser(request, context, { allowMfaPending: true });
  if (!(await recentlyAuthenticated(getDb(), actor.sessionId!, systemClock))) throw redirect("/me/reauth?redirectTo=%2Fme%2Fmfa");
  return actor;
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  const actor = await requireFresh(request, context);
  const db = getDb();
  const state = await mfaState(db, actor.user.id);
  const required = mfaRequired(actor.roles);
  const enrolment = state.enabled ? null : await enrolmentView(await pendingSecret(db, actor.user.id), actor.user.phone);
  return { enabled: state.enabled, recoveryCodesLeft: state.recoveryCodesLeft, required, enrolment };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const actor = await requireFresh(request, context);
  const form = await request.formData();
  const intent = form.get("intent");
  const db = getDb();
  const ctx = auditContext(actor);
  try {
    if (intent === "enrol") {
      const parsed = parseForm(mfaCodeSchema, form);
      if (!parsed.ok) return invalid({ fieldErrors: parsed.fieldErrors });
      const { recoveryCodes } = await confirmEnrolment(db, ctx, actor.user, parsed.data.code, systemClock);
      return data({ ok: true as const, recoveryCodes });
    }
    if (intent === "regenerate") return data({ ok: true as const, recoveryCodes: await regenerateRecoveryCodes(db, ctx, actor.user.id) });
    if (intent === "disable") {
      await db.transaction().execute((trx) => disableMfa(trx, ctx, actor.user.id, actor.roles));
      return redirect("/me?mfa=off");
    }
    return invalid({ formError: "未知操作" });
  } catch (e) {
    return domainErrorResponse(e);
  }
}

export default function MyMfa() {
  const { enabled, recoveryCodesLeft, required, enrolment } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const [params] = useSearchParams();
  const errors = result && !result.ok ? result : undefined;
  return (
    <Container size={560} py="xl">
      <Paper withBorder p="lg">
        <Title order={1} size="h2" mb="md">
          两步验证
        </Title>
        {result?.ok ? (
          <RecoveryCodes codes={result.recoveryCodes} continueTo="/me" />
        ) : (
          <Stack>
            {params.get("required") && !enabled ? (
              <Alert color="orange" title="请先启用两步验证" role="status">
                您的账户有工作人员权限，启用两步验证之前不能使用其他功能。
              </Alert>
            ) : null}
            <FormErrorSummary formError={errors?.formError} fieldErrors={errors?.fieldErrors} />
            {enabled ? (
              <>
                <Text>两步验证已启用：每次登录时需要输入验证器中的验证码。还剩 {recoveryCodesLeft} 个未用的恢复码。</Text>
                <Group>
                  <Form method="post">
                    <input type="hidden" name="intent" value="regenerate" />
                    <Button type="submit" variant="default" loading={busy}>
                      重新生成恢复码
                    </Button>
                  </Form>
                  {required ? null : (
                    <Form method="post">
                      <input type="hidden" name="intent" value="disable" />
                      <Button type="submit" variant="default" color="red" loading={busy}>
                        停用两步验证
                      </Button>
                    </Form>
                  )}
                </Group>
                {required ? <Text c="dimmed">工作人员必须使用两步验证，不能停用。</Text> : null}
              </>
            ) : (
              <Form method="post" noValidate>
                <Stack>
                  <Text>{required ? "您的账户有工作人员权限，必须启用两步验证。" : "启用后，登录时除了密码还需要输入手机验证器中的验证码，账户更安全。"}</Text>
                  <input type="hidden" name="intent" value="enrol" />
                  {enrolment ? <EnrolmentInstructions {...enrolment} /> : null}
                  <TotpCodeField error={errors?.fieldErrors?.code} />
                  <Button type="submit" loading={busy}>
                    启用两步验证
                  </Button>
                </Stack>
              </Form>
            )}
          </Stack>
        )}
      </Paper>
    </Container>
  );
}
