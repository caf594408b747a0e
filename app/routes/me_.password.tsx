import { Button, PasswordInput, Stack, Text } from "@mantine/core";
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useNavigation } from "@remix-run/react";
import { FormCard } from "../components/FormCard";
import { FormErrorSummary } from "../components/FormErrorSummary";
import { changePassword } from "../domain/accounts/accounts.server";
import { changePasswordSchema } from "../domain/accounts/schema";
import { parseForm } from "../lib/form";
import { recentlyAuthenticated } from "../domain/accounts/mfa.server";
import { auditContext, requireUser } from "../platform/auth.server";
import { systemClock } from "../platform/clock";
import { getDb } from "../platform/db.server";
import { domainErrorResponse, invalid } from "../platform/http.server";
import { createSession, invalidateUserSessions } from "../platform/session.server";

export const meta: MetaFunction = () => [{ title: "修改密码 · 邻里守望" }];

/** A password change needs a recent sign-in or re-authentication (password + code when enrolled). */
async function requireFresh(request: Request, context: LoaderFunctionArgs["context"]) {
  const actor = await requireUser(request, context);
  if (!(await recentlyAuthenticated(getDb(), actor.sessionId!, systemClock))) throw redirect("/me/reauth?redirectTo=%2Fme%2Fpassword");
  return actor;
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireFresh(request, context);
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const actor = await requireFresh(request, context);
  const parsed = parseForm(changePasswordSchema, await request.formData());
  if (!parsed.ok) return invalid({ fieldErrors: parsed.fieldErrors });
  try {
    await getDb()
      .transaction()
      .execute((trx) => changePassword(trx, auditContext(actor), actor.user.id, parsed.data));
  } catch (e) {
    return domainErrorResponse(e);
  }
  // Every other device is signed out, and this one continues on a fresh session id.
  await invalidateUserSessions(actor.user.id);
  const cookie = await createSession(actor.user.id, { ip: actor.ip, userAgent: request.headers.get("user-agent") });
  return redirect("/me?password=changed", { headers: { "Set-Cookie": cookie } });
}

export default function ChangePassword() {
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  return (
    <FormCard title="修改密码">
      <Form method="post" noValidate>
        <Stack>
          <Text>修改后，您在其他设备上的登录将全部退出。</Text>
          <FormErrorSummary formError={result?.formError} fieldErrors={result?.fieldErrors} />
          <PasswordInput label="当前密码" name="currentPassword" autoComplete="current-password" required error={result?.fieldErrors?.currentPassword} />
          <PasswordInput
            label="新密码"
            description="至少 8 位，需同时包含字母和数字，不能是常见密码"
            name="password"
            autoComplete="new-password"
            required
            error={result?.fieldErrors?.password}
          />
          <PasswordInput label="再次输入新密码" name="passwordConfirm" autoComplete="new-password" required error={result?.fieldErrors?.passwordConfirm} />
          <Button type="submit" loading={busy}>
            修改密码
          </Button>
        </Stack>
      </Form>
    </FormCard>
  );
}
