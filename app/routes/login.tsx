import { Anchor, Button, PasswordInput, Stack, Text, TextInput } from "@mantine/core";
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useNavigation, useSearchParams } from "@remix-run/react";
import { FormCard } from "../components/FormCard";
import { FormErrorSummary } from "../components/FormErrorSummary";
import { authenticate, loadRoles } from "../domain/accounts/accounts.server";
import { CHALLENGE_MINUTES, createChallenge, mfaEnabled, mfaRequired } from "../domain/accounts/mfa.server";
import { loginSchema } from "../domain/accounts/schema";
import { parseForm } from "../lib/form";
import { auditContext, getActor } from "../platform/auth.server";
import { systemClock } from "../platform/clock";
import { getDb } from "../platform/db.server";
import { domainErrorResponse, invalid, safeRedirect } from "../platform/http.server";
import { createSession, invalidateSession, mfaChallengeCookie } from "../platform/session.server";

export const meta: MetaFunction = () => [{ title: "登录 · 邻里守望" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const actor = await getActor(request, context);
  if (actor.user) throw redirect(safeRedirect(new URL(request.url).searchParams.get("redirectTo")));
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await request.formData();
  const parsed = parseForm(loginSchema, form);
  if (!parsed.ok) return invalid({ fieldErrors: parsed.fieldErrors, values: parsed.values });
  const actor = await getActor(request, context);
  try {
    const db = getDb();
    const user = await authenticate(db, parsed.data, auditContext(actor), systemClock);
    const redirectTo = safeRedirect(form.get("redirectTo"));
    // Staff (and anyone who opted in) give a code from their authenticator before any session exists.
    if ((await mfaEnabled(db, user.id)) || mfaRequired(await loadRoles(db, user.id))) {
      const token = await createChallenge(db, user.id, redirectTo, systemClock);
      return redirect("/login/mfa", { headers: { "Set-Cookie": mfaChallengeCookie(token, CHALLENGE_MINUTES * 60) } });
    }
    // A new session id at every log-in, so a session id planted before log-in is worthless.
    if (actor.sessionId) await invalidateSession(actor.sessionId);
    const cookie = await createSession(user.id, { ip: actor.ip, userAgent: request.headers.get("user-agent") });
    return redirect(redirectTo, { headers: { "Set-Cookie": cookie } });
  } catch (e) {
    return domainErrorResponse(e, { phone: parsed.data.phone });
  }
}

export default function Login() {
  const result = useActionData<typeof action>();
  const [params] = useSearchParams();
  const busy = useNavigation().state === "submitting";
  return (
    <FormCard title="登录">
      <Form method="post" noValidate>
        <Stack>
          <FormErrorSummary formError={result?.formError} fieldErrors={result?.fieldErrors} />
          {params.get("expired") && !result ? (
            <Text role="status" c="orange.9">
              两步验证已超时，请重新登录。
            </Text>
          ) : null}
          <input type="hidden" name="redirectTo" value={params.get("redirectTo") ?? "/"} />
          <TextInput
            label="手机号码"
            name="phone"
            type="tel"
            inputMode="numeric"
            autoComplete="username"
            required
            defaultValue={(result?.values?.phone as string) ?? ""}
            error={result?.fieldErrors?.phone}
          />
          <PasswordInput label="密码" name="password" autoComplete="current-password" required error={result?.fieldErrors?.password} />
          <Button type="submit" loading={busy} fullWidth>
            登录
          </Button>
          <Text size="sm">
            还没有账户？
            <Anchor component={Link} to="/register">
              注册
            </Anchor>
          </Text>
        </Stack>
      </Form>
    </FormCard>
  );
}
