import { Button, NativeSelect, Paper, SimpleGrid, Stack, Text, Textarea, TextInput, Title } from "@mantine/core";
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { FormErrorSummary } from "../components/FormErrorSummary";
import { getPlace, LEVEL_LABELS } from "../domain/places/places.server";
import { createPool, poolPlaceOptions } from "../domain/pools/pools.server";
import { createPoolSchema, POOL_SOURCES } from "../domain/pools/schema";
import { parseForm } from "../lib/form";
import { requirePermission, requirePlaceScopes } from "../platform/auth.server";
import { getDb } from "../platform/db.server";
import { domainErrorResponse, formValues, invalid } from "../platform/http.server";

export const meta: MetaFunction = () => [{ title: "设立资金池 · 邻里守望" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { placePaths } = await requirePlaceScopes(request, context, "pool.manage");
  const places = await poolPlaceOptions(getDb(), placePaths);
  return {
    places: places.map((p) => ({ value: String(p.id), label: `${p.name}（${LEVEL_LABELS[p.level]}）` })),
    // One key per rendering of the form: submitting it twice creates one pool.
    idempotencyKey: crypto.randomUUID(),
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await request.formData();
  await requirePlaceScopes(request, context, "pool.manage");
  const parsed = parseForm(createPoolSchema, form);
  if (!parsed.ok) return invalid({ fieldErrors: parsed.fieldErrors, formError: parsed.formError, values: parsed.values });
  const place = await getPlace(getDb(), parsed.data.placeId);
  if (!place) return invalid({ fieldErrors: { placeId: "地区不存在" }, values: formValues(form) });
  const { actor, audit } = await requirePermission(request, context, "pool.manage", { placePath: place.path });
  try {
    const pool = await getDb()
      .transaction()
      .execute((trx) => createPool(trx, audit, actor, parsed.data));
    return redirect(`/bureau/pools/${pool.id}?created=1`);
  } catch (e) {
    return domainErrorResponse(e, formValues(form));
  }
}

export default function NewPool() {
  const { places, idempotencyKey } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const v = (result?.values ?? {}) as Record<string, string>;
  const e = result?.fieldErrors ?? {};
  return (
    <Stack maw={760} mx="auto" gap="md">
      <Title order={1}>设立资金池</Title>
      <Text>资金池的总额记为第一笔注资流水；之后可以追加注资。金额以元填写，系统按分精确记账。</Text>
      <Paper withBorder p="lg">
        <Form method="post" noValidate>
          <input type="hidden" name="idempotencyKey" value={v.idempotencyKey ?? idempotencyKey} />
          <Stack>
            <FormErrorSummary formError={result?.formError} fieldErrors={result?.fieldErrors} />
            <TextInput size="lg" label="资金池名称" name="name" required defaultValue={v.name ?? ""} error={e.name} description="例如“2026年市福彩公益金社区社会组织服务项目”" />
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              <NativeSelect size="lg" label="所属地区" name="placeId" required defaultValue={v.placeId ?? ""} error={e.placeId} data={[{ value: "", label: "请选择" }, ...places]} />
              <NativeSelect size="lg" label="资金来源" name="source" required defaultValue={v.source ?? ""} error={e.source} data={[{ value: "", label: "请选择" }, ...POOL_SOURCES]} />
            </SimpleGrid>
            <TextInput size="lg" label="总额（元）" name="total" required inputMode="decimal" defaultValue={v.total ?? ""} error={e.total} description="例如 1630000 或 1,630,000.00" />
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              <TextInput size="lg" label="开始日期" name="periodStart" type="date" required defaultValue={v.periodStart ?? ""} error={e.periodStart} />
              <TextInput size="lg" label="结束日期" name="periodEnd" type="date" required defaultValue={v.periodEnd ?? ""} error={e.periodEnd} />
            </SimpleGrid>
            <Textarea size="lg" label="备注" name="notes" autosize minRows={2} defaultValue={v.notes ?? ""} error={e.notes} />
            <Button type="submit" size="lg" loading={busy}>
              设立资金池
            </Button>
          </Stack>
        </Form>
      </Paper>
    </Stack>
  );
}
