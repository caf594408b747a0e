import { Stack, Text, Title } from "@mantine/core";
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { CallForm } from "../components/CallForm";
import { callFormOptions, saveCallDraft } from "../domain/calls/calls.server";
import { parseCallForm } from "../domain/calls/schema";
import { getPlace } from "../domain/places/places.server";
import { toShanghaiInput } from "../lib/dates";
import { rawValues } from "../lib/form";
import { requirePermission, requirePlaceScopes } from "../platform/auth.server";
import { systemClock } from "../platform/clock";
import { getDb } from "../platform/db.server";
import { domainErrorResponse, invalid } from "../platform/http.server";

export const meta: MetaFunction = () => [{ title: "发布招贤榜 · 邻里守望" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { placePaths } = await requirePlaceScopes(request, context, "call.publish");
  const now = systemClock.now();
  const issue = new URL(request.url).searchParams.get("issue");
  return {
    options: await callFormOptions(getDb(), placePaths),
    defaults: {
      opensAt: toShanghaiInput(now),
      closesAt: `${toShanghaiInput(new Date(now.getTime() + 30 * 86_400_000)).slice(0, 10)}T17:00`,
      reviewersPerBid: "2",
      publicityWorkingDays: "5",
      issueIds: issue ? [issue] : [],
    },
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await request.formData();
  await requirePlaceScopes(request, context, "call.publish");
  const parsed = parseCallForm(form);
  if (!parsed.ok) return invalid({ fieldErrors: parsed.fieldErrors, formError: parsed.formError, values: parsed.values });
  const place = await getPlace(getDb(), parsed.data.placeId);
  if (!place) return invalid({ fieldErrors: { placeId: "地区不存在" }, values: rawValues(form) });
  const { actor, audit } = await requirePermission(request, context, "call.publish", { placePath: place.path });
  try {
    const { id } = await getDb()
      .transaction()
      .execute((trx) => saveCallDraft(trx, audit, actor, parsed.data, systemClock));
    return redirect(`/calls/${id}/manage?saved=1`);
  } catch (e) {
    return domainErrorResponse(e, rawValues(form));
  }
}

export default function NewCall() {
  const { options, defaults } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  return (
    <Stack maw={900} mx="auto" gap="md">
      <Title order={1}>发布招贤榜</Title>
      <Text>先保存为草稿，核对无误后在管理页面发布。发布后只能延长截止时间或撤回，所有变更都会公开记录。</Text>
      <CallForm {...options} values={result?.values ?? defaults} fieldErrors={result?.fieldErrors} formError={result?.formError} busy={busy} submitLabel="保存草稿" />
    </Stack>
  );
}
