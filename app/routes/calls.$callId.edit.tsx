import { Stack, Title } from "@mantine/core";
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { CallForm } from "../components/CallForm";
import { callFormOptions, callScope, getCall, saveCallDraft } from "../domain/calls/calls.server";
import { parseCallForm } from "../domain/calls/schema";
import { toShanghaiInput } from "../lib/dates";
import { rawValues } from "../lib/form";
import { fenToYuanString } from "../lib/money";
import { requirePermission, requirePlaceScopes } from "../platform/auth.server";
import { systemClock } from "../platform/clock";
import { getDb } from "../platform/db.server";
import { domainErrorResponse, invalid, notFound } from "../platform/http.server";

export const meta: MetaFunction = () => [{ title: "修改招贤榜草稿 · 邻里守望" }];

const ID = /^[0-9a-f-]{36}$/;

async function gate(request: Request, context: LoaderFunctionArgs["context"], id: string) {
  const scope = ID.test(id) ? await callScope(getDb(), id) : undefined;
  if (!scope) notFound("招贤榜不存在");
  return requirePermission(request, context, "call.publish", scope);
}

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const id = params.callId ?? "";
  await gate(request, context, id);
  const { placePaths } = await requirePlaceScopes(request, context, "call.publish");
  const call = (await getCall(getDb(), id))!;
  if (call.status !== "draft") throw redirect(`/calls/${id}/manage`);
  return {
    id,
    options: await callFormOptions(getDb(), placePaths),
    values: {
      placeId: String(call.placeId),
      title: call.title,
      description: call.description,
      actionType: call.actionType,
      poolId: call.poolId,
      cap: fenToYuanString(call.capFen),
      totalBudget: fenToYuanString(call.totalBudgetFen),
      eligibleOrgTypes: call.eligibleOrgTypes,
      eligibleDistrictIds: call.eligibleDistrictIds.map(String),
      opensAt: toShanghaiInput(call.opensAt),
      closesAt: toShanghaiInput(call.closesAt),
      projectStart: call.projectStart,
      projectEnd: call.projectEnd,
      requiredAttachments: call.requiredAttachments.join("\n"),
      reviewersPerBid: String(call.reviewersPerBid),
      publicityWorkingDays: String(call.publicityWorkingDays),
      issueIds: call.issues.map((i) => i.id),
      "criterion.name": call.criteria.map((c) => c.name),
      "criterion.description": call.criteria.map((c) => c.description),
      "criterion.weight": call.criteria.map((c) => String(c.weight)),
    },
  };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const id = params.callId ?? "";
  const { actor, audit } = await gate(request, context, id);
  const form = await request.formData();
  const parsed = parseCallForm(form);
  if (!parsed.ok) return invalid({ fieldErrors: parsed.fieldErrors, formError: parsed.formError, values: parsed.values });
  try {
    await getDb()
      .transaction()
      .execute((trx) => saveCallDraft(trx, audit, actor, { ...parsed.data, existingCallId: id }, systemClock));
    return redirect(`/calls/${id}/manage?saved=1`);
  } catch (e) {
    return domainErrorResponse(e, rawValues(form));
  }
}

export default function EditCall() {
  const { options, values } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  return (
    <Stack maw={900} mx="auto" gap="md">
      <Title order={1}>修改招贤榜草稿</Title>
      <CallForm {...options} values={result?.values ?? values} fieldErrors={result?.fieldErrors} formError={result?.formError} busy={busy} submitLabel="保存草稿" />
    </Stack>
  );
}
