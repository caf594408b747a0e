import { Button, Checkbox, Fieldset, Group, NativeSelect, SimpleGrid, Stack, Text, TextInput, Textarea, Title } from "@mantine/core";
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { CommunityDrill } from "../components/CommunityDrill";
import { FormErrorSummary } from "../components/FormErrorSummary";
import { careActor, careScopes } from "../domain/care/access.server";
import { createTarget, todayOf } from "../domain/care/care.server";
import { CARE_SOURCE_LABELS, CARE_SOURCES, CONSENT_METHOD_LABELS, CONSENT_METHODS, targetSchema } from "../domain/care/schema";
import { communityChoices, getPlace, placeSelectOptions } from "../domain/places/places.server";
import { CARE_GROUPS } from "../domain/vocabulary";
import { parseForm } from "../lib/form";
import { requirePermission, requireUser } from "../platform/auth.server";
import { systemClock } from "../platform/clock";
import { getDb } from "../platform/db.server";
import { domainErrorResponse, formValues, invalid } from "../platform/http.server";

export const meta: MetaFunction = () => [{ title: "新增关爱对象 · 邻里守望" }];

/** The 街道 or 区县 whose communities the form lists, when the officer's scope holds too many. */
const atSchema = z.coerce.number().int().positive().nullable().catch(null);

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const scopes = careScopes(careActor(user), "care.manage");
  await requirePermission(request, context, "care.manage", { placePath: scopes[0]?.placePath ?? null });
  const db = getDb();
  const atId = atSchema.parse(new URL(request.url).searchParams.get("at"));
  const at = atId ? await getPlace(db, atId) : undefined;
  const { communities, drill } = await communityChoices(db, scopes.map((s) => s.placePath!), at);
  return {
    communities: communities.map((p) => ({ value: String(p.id), label: p.name })),
    drill: drill ? placeSelectOptions(drill) : null,
    at: at ? String(at.id) : "",
    today: todayOf(systemClock),
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  const form = await request.formData();
  const parsed = parseForm(targetSchema, form, ["groups"]);
  if (!parsed.ok) return invalid({ fieldErrors: parsed.fieldErrors, values: parsed.values });
  const place = await getPlace(getDb(), parsed.data.placeId);
  const { audit } = await requirePermission(request, context, "care.manage", { placePath: place?.path ?? null });
  try {
    const { id } = await getDb()
      .transaction()
      .execute((trx) => createTarget(trx, careActor(user), audit, systemClock, parsed.data));
    return redirect(`/care/targets/${id}`);
  } catch (e) {
    return domainErrorResponse(e, { ...formValues(form), groups: form.getAll("groups").map(String) });
  }
}

export default function NewTarget() {
  const { communities, drill, at, today } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const v = (result?.values ?? {}) as Record<string, string | string[]>;
  const s = (k: string, d = "") => (typeof v[k] === "string" ? (v[k] as string) : d);
  const groups = Array.isArray(v.groups) ? v.groups : [];
  const err = result?.fieldErrors ?? {};
  return (
    <Stack maw={900} mx="auto" gap="lg">
      <Title order={1}>新增关爱对象</Title>
      <Text c="dimmed">身份证号码和电话加密保存，页面上只显示脱敏后的号码。</Text>
      {drill ? <CommunityDrill options={drill} at={at} /> : null}
      <Form method="post" noValidate>
        <Stack>
          <FormErrorSummary formError={result?.formError} fieldErrors={result?.fieldErrors} />
          <Fieldset legend="基本信息">
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              <TextInput label="姓名" name="name" required defaultValue={s("name")} error={err.name} />
              <TextInput label="身份证号码" name="idNumber" required defaultValue={s("idNumber")} error={err.idNumber} autoComplete="off" description="18 位，最后一位可以是 X" />
              <TextInput label="联系电话" name="phone" type="tel" inputMode="numeric" defaultValue={s("phone")} error={err.phone} />
              <NativeSelect
                key={at}
                label="社区（村）"
                name="placeId"
                required
                defaultValue={s("placeId")}
                error={err.placeId}
                description={drill && communities.length === 0 ? "请先在上方选择街道或区县，再点“列出社区”" : undefined}
                data={[{ value: "", label: "请选择" }, ...communities]}
              />
              <TextInput label="地址" name="address" defaultValue={s("address")} error={err.address} />
              <TextInput label="转介日期" name="referredOn" type="date" required defaultValue={s("referredOn", today)} error={err.referredOn} />
              <NativeSelect
                label="来源"
                name="source"
                required
                defaultValue={s("source", "referral")}
                error={err.source}
                data={CARE_SOURCES.map((c) => ({ value: c, label: CARE_SOURCE_LABELS[c] }))}
              />
            </SimpleGrid>
          </Fieldset>
          <Fieldset legend="群体（可多选）">
            <Group>
              {CARE_GROUPS.map((g) => (
                <Checkbox key={g} name="groups" value={g} label={g} defaultChecked={groups.includes(g)} styles={{ body: { minHeight: 44, alignItems: "center" } }} />
              ))}
            </Group>
            {err.groups ? (
              <Text c="red.8" size="sm" mt="xs">
                {err.groups}
              </Text>
            ) : null}
          </Fieldset>
          <Textarea label="需求与情况" name="needs" autosize minRows={3} defaultValue={s("needs")} error={err.needs} />
          <Fieldset legend="监护人（未成年人必填）">
            <SimpleGrid cols={{ base: 1, sm: 3 }}>
              <TextInput label="监护人姓名" name="guardianName" defaultValue={s("guardianName")} error={err.guardianName} />
              <TextInput label="与本人关系" name="guardianRelation" defaultValue={s("guardianRelation")} error={err.guardianRelation} />
              <TextInput label="监护人电话" name="guardianPhone" type="tel" inputMode="numeric" defaultValue={s("guardianPhone")} error={err.guardianPhone} />
            </SimpleGrid>
          </Fieldset>
          <Fieldset legend="知情同意">
            <SimpleGrid cols={{ base: 1, sm: 3 }}>
              <TextInput label="同意人" name="consentBy" required description="本人；未成年人为监护人" defaultValue={s("consentBy")} error={err.consentBy} />
              <TextInput label="同意日期" name="consentOn" type="date" required defaultValue={s("consentOn", today)} error={err.consentOn} />
              <NativeSelect
                label="同意方式"
                name="consentMethod"
                required
                defaultValue={s("consentMethod", "written")}
                error={err.consentMethod}
                data={CONSENT_METHODS.map((c) => ({ value: c, label: CONSENT_METHOD_LABELS[c] }))}
              />
            </SimpleGrid>
            <Checkbox mt="md" name="consentPhotos" label="同意服务人员拍摄服务照片" defaultChecked={s("consentPhotos") === "on"} />
          </Fieldset>
          <Group>
            <Button type="submit" loading={busy} size="md">
              保存
            </Button>
          </Group>
        </Stack>
      </Form>
    </Stack>
  );
}
