import { Anchor, Button, PasswordInput, Stack, Text, TextInput } from "@mantine/core";
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useNavigation } from "@remix-run/react";
import { FormCard } from "../components/FormCard";
import { FormErrorSummary } from "../components/FormErrorSummary";
import { registerUser } from "../domain/accounts/accounts.server";
import { registerSchema } from "../domain/accounts/schema";
import { parseForm } from "../lib/form";
import { auditContext, getActor } from "../platform/auth.server";
import { systemClock } from "../platform/clock";
import { getDb } from "../platform/db.server";
import { domainErrorResponse, invalid } from "../platform/http.server";
import { createSession } from "../platform/session.server";

export const meta: MetaFunction = () => [{ title: "注册 · 邻里守望" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const actor = await getActor(request, context);
  if (actor.user) throw redirect("/");
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await request.formData();
  const parsed = parseForm(registerSchema, form);
  if (!parsed.ok) return invalid({ fieldErrors: parsed.fieldErrors, values: parsed.values });
  const actor = await getActor(request, context);
  try {
    const user = await getDb()
      .transaction()
      .execute((trx) => registerUser(trx, parsed.data, auditContext(actor), systemClock));
    const cookie = await createSession(user.id, { ip: actor.ip, userAgent: request.headers.get("user-agent") });
    return redirect("/me?welcome=1", { headers: { "Set-Cookie": cookie } });
  } catch (e) {
    return domainErrorResponse(e, { phone: parsed.data.phone, displayName: parsed.data.displayName });
  }
}

export default function Register() {
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const v = (result?.values ?? {}) as Record<string, string>;
  return (
    <FormCard title="注册账户">
      <Form method="post" noValidate>
        <Stack>
          <FormErrorSummary formError={result?.formError} fieldErrors={result?.fieldErrors} />
          <TextInput
            label="手机号码"
            description="11 位手机号码，用于登录"
            name="phone"
            type="tel"
            inputMode="numeric"
            autoComplete="tel"
            required
            defaultValue={v.phone ?? ""}
            error={result?.fieldErrors?.phone}
          />
          <TextInput
            label="称呼"
            description="其他人看到的名字，例如“王阿姨”"
            name="displayName"
            autoComplete="nickname"
            required
            defaultValue={v.displayName ?? ""}
            error={result?.fieldErrors?.displayName}
          />
          <PasswordInput
            label="密码"
            description="至少 8 位，需同时包含字母和数字"
            name="password"
            autoComplete="new-password"
            required
            error={result?.fieldErrors?.password}
          />
          <PasswordInput label="再次输入密码" name="passwordConfirm" autoComplete="new-password" required error={result?.fieldErrors?.passwordConfirm} />
          <Button type="submit" loading={busy} fullWidth>
            注册
          </Button>
          <Text size="sm">
            已有账户？
            <Anchor component={Link} to="/login">
              登录
            </Anchor>
          </Text>
        </Stack>
      </Form>
    </FormCard>
  );
}
