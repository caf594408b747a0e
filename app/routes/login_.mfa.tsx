import { Button, Container, Divider, Paper, Stack, Text, TextInput, Title } from "@mantine/core";
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation, type ShouldRevalidateFunction } from "@remix-run/react";
import { FormErrorSummary } from "../components/FormErrorSummary";
import { EnrolmentInstructions, RecoveryCodes, TotpCodeField } from "../components/Mfa";
import {
  confirmEnrolment,
  endChallenge,
  enrolmentView,
  mfaEnabled,
  pendingSecret,
  readChallenge,
  verifySecondFactor,
  type Challenge,
} from "../domain/accounts/mfa.server";
import { mfaCodeSchema, mfaRecoverySchema } from "../domain/accounts/schema";
import { parseForm } from "../lib/form";
import { auditContext, getActor } from "../platform/auth.server";
import { systemClock } from "../platform/clock";
import { getDb } from "../platform/db.server";
import { domainErrorResponse, invalid } from "../platform/http.server";
import { clearMfaChallengeCookie, createSession, invalidateSession, readMfaChallengeToken } from "../platform/session.server";

export const meta: MetaFunction = () => [{ title: "两步验证 · 邻里守望" }];

/**
 * After a confirmed enrolment the page shows the recovery codes, once. The half-finished sign-in
 * has ended with it, so this page's loader would now send the browser to /login?expired=1 and on
 * to the home page, taking the codes away before anyone could write them down: it is not run again.
 */
export const shouldRevalidate: ShouldRevalidateFunction = ({ actionResult, defaultShouldRevalidate }) =>
  actionResult && typeof actionResult === "object" && "recoveryCodes" in actionResult ? false : defaultShouldRevalidate;

/** The second sign-in step: the password was right, a session is granted only after the code. */
async function challengeOf(request: Request): Promise<{ token: string; challenge: Challenge }> {
  const token = readMfaChallengeToken(request);
  const challenge = await readChallenge(getDb(), token, systemClock);
  if (!token || !challenge) throw redirect("/login?expired=1", { headers: { "Set-Cookie": clearMfaChallengeCookie() } });
  return { token, challenge };
}

export async function loader({ request }: LoaderFunctionArgs) {
  const { challenge } = await challengeOf(request);
  const db = getDb();
  if (await mfaEnabled(db, challenge.userId)) return { mode: "verify" as const, name: challenge.displayName, enrolment: null };
  // A staff member without an authenticator enrols now; nothing else is possible before that.
  const secret = await pendingSecret(db, challenge.userId);
  return { mode: "enrol" as const, name: challenge.displayName, enrolment: await enrolmentView(secret, challenge.phone) };
}

async function grantSession(request: Request, actorSessionId: string | null, ip: string | null, userId: string): Promise<Headers> {
  if (actorSessionId) await invalidateSession(actorSessionId);
  const headers = new Headers();
  headers.append("Set-Cookie", await createSession(userId, { ip, userAgent: request.headers.get("user-agent") }));
  headers.append("Set-Cookie", clearMfaChallengeCookie());
  return headers;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { token, challenge } = await challengeOf(request);
  const actor = await getActor(request, context);
  const form = await request.formData();
  const intent = form.get("intent");
  const ctx = { ...auditContext(actor), userId: challenge.userId };
  const user = { id: challenge.userId, phone: challenge.phone };
  const db = getDb();
  try {
    if (intent === "enrol") {
      const parsed = parseForm(mfaCodeSchema, form);
      if (!parsed.ok) return invalid({ fieldErrors: parsed.fieldErrors });
      const { recoveryCodes } = await confirmEnrolment(db, ctx, user, parsed.data.code, systemClock);
      await endChallenge(db, token);
      const headers = await grantSession(request, actor.sessionId, actor.ip, challenge.userId);
      return data({ ok: true as const, recoveryCodes, continueTo: challenge.redirectTo }, { headers });
    }
    if (intent === "recovery") {
      const parsed = parseForm(mfaRecoverySchema, form);
      if (!parsed.ok) return invalid({ fieldErrors: parsed.fieldErrors });
      await verifySecondFactor(db, ctx, user, { recoveryCode: parsed.data.recoveryCode }, systemClock);
    } else {
      const parsed = parseForm(mfaCodeSchema, form);
      if (!parsed.ok) return invalid({ fieldErrors: parsed.fieldErrors });
      await verifySecondFactor(db, ctx, user, { code: parsed.data.code }, systemClock);
    }
    await endChallenge(db, token);
    throw redirect(challenge.redirectTo, { headers: await grantSession(request, actor.sessionId, actor.ip, challenge.userId) });
  } catch (e) {
    if (e instanceof Response) throw e;
    return domainErrorResponse(e);
  }
}

export default function LoginSecondStep() {
  const { mode, name, enrolment } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const errors = result && !result.ok ? result : undefined;
  if (result?.ok) {
    return (
      <Container size={520} py="xl">
        <Paper withBorder p="lg">
          <Title order={1} size="h2" mb="md">
            保存恢复码
          </Title>
          <RecoveryCodes codes={result.recoveryCodes} continueTo={result.continueTo} />
        </Paper>
      </Container>
    );
  }
  return (
    <Container size={520} py="xl">
      <Paper withBorder p="lg">
        <Title order={1} size="h2" mb="xs">
          {mode === "enrol" ? "启用两步验证" : "两步验证"}
        </Title>
        <Text mb="md">
          {mode === "enrol"
            ? `${name}，您的账户有工作人员权限，登录需要第二步验证。请先在手机上设置验证器。`
            : `${name}，请输入验证器应用中的验证码。`}
        </Text>
        <FormErrorSummary formError={errors?.formError} fieldErrors={errors?.fieldErrors} />
        <Form method="post" noValidate>
          <Stack mt="sm">
            <input type="hidden" name="intent" value={mode === "enrol" ? "enrol" : "verify"} />
            {enrolment ? <EnrolmentInstructions {...enrolment} /> : null}
            <TotpCodeField error={errors?.fieldErrors?.code} />
            <Button type="submit" loading={busy}>
              {mode === "enrol" ? "启用并登录" : "验证并登录"}
            </Button>
          </Stack>
        </Form>
        {mode === "verify" ? (
          <>
            <Divider my="lg" label="手机不在身边？" labelPosition="center" />
            <Form method="post" noValidate>
              <Stack>
                <input type="hidden" name="intent" value="recovery" />
                <TextInput
                  label="恢复码"
                  description="启用两步验证时保存的恢复码，每个只能用一次"
                  name="recoveryCode"
                  autoComplete="off"
                  autoCapitalize="characters"
                  spellCheck={false}
                  error={errors?.fieldErrors?.recoveryCode}
                />
                <Button type="submit" variant="default" loading={busy}>
                  用恢复码登录
                </Button>
              </Stack>
            </Form>
          </>
        ) : null}
      </Paper>
    </Container>
  );
}
