import { Button, PasswordInput, Stack, Text } from "@mantine/core";
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { FormCard } from "../components/FormCard";
import { FormErrorSummary } from "../components/FormErrorSummary";
import { TotpCodeField } from "../components/Mfa";
import { authenticate } from "../domain/accounts/accounts.server";
import { markReauthenticated, mfaEnabled, REAUTH_MINUTES, verifySecondFactor } from "../domain/accounts/mfa.server";
import { reauthSchema } from "../domain/accounts/schema";
import { parseForm } from "../lib/form";
import { auditContext, requireUser } from "../platform/auth.server";
import { systemClock } from "../platform/clock";
import { getDb } from "../platform/db.server";
import { domainErrorResponse, invalid, safeRedirect } from "../platform/http.server";

export const meta: MetaFunction = () => [{ title: "验证身份 · 邻里守望" }];

/** Re-authentication (password, and the code when enrolled) before changing password or authenticator. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const actor = await requireUser(request, context, { allowMfaPending: true });
  const redirectTo = safeRedirect(new URL(request.url).searchParams.get("redirectTo"), "/me");
  return { needsCode: await mfaEnabled(getDb(), actor.user.id), redirectTo };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const actor = await requireUser(request, context, { allowMfaPending: true });
  const form = await request.formData();
  const parsed = parseForm(reauthSchema, form);
  if (!parsed.ok) return invalid({ fieldErrors: parsed.fieldErrors });
  const db = getDb();
  const ctx = auditContext(actor);
  try {
    const needsCode = await mfaEnabled(db, actor.user.id);
    if (needsCode && !parsed.data.code) return invalid({ fieldErrors: { code: "请输入验证器中的 6 位数字" } });
    await authenticate(db, { phone: actor.user.phone, password: parsed.data.password }, ctx, systemClock);
    if (needsCode) await verifySecondFactor(db, ctx, actor.user, { code: parsed.data.code! }, systemClock);
    await markReauthenticated(db, actor.sessionId!, systemClock);
  } catch (e) {
    return domainErrorResponse(e);
  }
  return redirect(safeRedirect(form.get("redirectTo"), "/me"));
}

export default function Reauthenticate() {
  const { needsCode, redirectTo } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  return (
    <FormCard title="验证身份">
      <Form method="post" noValidate>
        <Stack>
          <Text>修改密码或两步验证之前，请再次输入密码{needsCode ? "和验证码" : ""}。验证后 {REAUTH_MINUTES} 分钟内有效。</Text>
          <FormErrorSummary formError={result?.formError} fieldErrors={result?.fieldErrors} />
          <input type="hidden" name="redirectTo" value={redirectTo} />
          <PasswordInput label="密码" name="password" autoComplete="current-password" required error={result?.fieldErrors?.password} />
          {needsCode ? <TotpCodeField error={result?.fieldErrors?.code} /> : null}
          <Button type="submit" loading={busy}>
            验证
          </Button>
        </Stack>
      </Form>
    </FormCard>
  );
}
