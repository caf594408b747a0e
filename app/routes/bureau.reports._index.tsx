import { Anchor, Button, NativeSelect, Paper, SimpleGrid, Stack, Table, Text, Textarea, TextInput, Title } from "@mantine/core";
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { FormErrorSummary } from "../components/FormErrorSummary";
import { todayOf } from "../domain/care/care.server";
import { DrillForm } from "../components/DrillForm";
import { getPlace, placeSelectOptions, streetChoices } from "../domain/places/places.server";
import { createReport, listReports } from "../domain/reports/reports.server";
import { periodFrom } from "../domain/reports/rules";
import { createReportSchema, figuresQuerySchema, MAX_PERIOD_DAYS } from "../domain/reports/schema";
import { formatDateTime } from "../lib/dates";
import { parseForm } from "../lib/form";
import { requirePermission, requirePlaceScopes } from "../platform/auth.server";
import { systemClock } from "../platform/clock";
import { getDb } from "../platform/db.server";
import { domainErrorResponse, formValues, invalid } from "../platform/http.server";

export const meta: MetaFunction = () => [{ title: "总结报告 · 邻里守望" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { placePaths } = await requirePlaceScopes(request, context, "report.read");
  const db = getDb();
  const query = figuresQuerySchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  const chosen = query.place ? await getPlace(db, query.place) : undefined;
  // A province's scope holds 1,632 streets: then the select lists them for one chosen 区县 (streetChoices).
  const [reports, choices] = await Promise.all([listReports(db, placePaths), streetChoices(db, placePaths, chosen)]);
  return {
    reports,
    defaults: { placeId: query.place ? String(query.place) : "", ...periodFrom(query, todayOf(systemClock), MAX_PERIOD_DAYS) },
    places: placeSelectOptions(choices.options),
    drill: choices.drill,
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await request.formData();
  await requirePlaceScopes(request, context, "report.create");
  const parsed = parseForm(createReportSchema, form);
  if (!parsed.ok) return invalid({ fieldErrors: parsed.fieldErrors, formError: parsed.formError, values: parsed.values });
  const place = await getPlace(getDb(), parsed.data.placeId);
  if (!place) return invalid({ fieldErrors: { placeId: "地区不存在" }, values: formValues(form) });
  const { actor, audit } = await requirePermission(request, context, "report.create", { placePath: place.path });
  try {
    const report = await getDb()
      .transaction()
      .execute((trx) => createReport(trx, audit, actor, systemClock, parsed.data));
    return redirect(`/bureau/reports/${report.id}`);
  } catch (e) {
    return domainErrorResponse(e, formValues(form));
  }
}

export default function Reports() {
  const { reports, defaults, places, drill } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const v = (result?.values ?? {}) as Record<string, string>;
  const e = result?.fieldErrors ?? {};
  return (
    <Stack maw={1100} mx="auto" gap="lg">
      <Title order={1}>总结报告</Title>
      <Text>
        按省厅通知的格式生成：工作部署（资金池及来源）、进展成效（各项数字，按地区、四项行动和月份）、意见建议（由您填写）。每份报告连同当时的数字一并保存，可随时再次下载。
      </Text>
      <Paper withBorder p="lg" component="section" aria-labelledby="new-report">
        <Title order={2} size="h3" id="new-report" mb="sm">
          生成新报告
        </Title>
        {drill ? (
          <DrillForm
            title="按区县列出街道"
            name="place"
            label="先选择区县"
            description="您负责的街道较多，下面的“地区”先只列出区县及以上。要为某个街道生成报告，请在这里选择它所在的区县，再点“列出街道”。"
            button="列出街道"
            options={places}
            value={defaults.placeId}
            hidden={{ from: defaults.from, to: defaults.to }}
          />
        ) : null}
        <Form method="post" noValidate>
          <Stack>
            <FormErrorSummary formError={result?.formError} fieldErrors={result?.fieldErrors} />
            {/* Keyed: choosing a 区县 above changes the options, and a mounted select would keep its old position. */}
            <NativeSelect
              key={defaults.placeId}
              size="lg"
              label="地区"
              name="placeId"
              required
              defaultValue={v.placeId ?? defaults.placeId}
              error={e.placeId}
              data={[{ value: "", label: "请选择" }, ...places]}
            />
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              <TextInput size="lg" label="开始日期" name="from" type="date" required defaultValue={v.from ?? defaults.from} error={e.from} />
              <TextInput size="lg" label="结束日期" name="to" type="date" required defaultValue={v.to ?? defaults.to} error={e.to} />
            </SimpleGrid>
            <Textarea
              size="lg"
              label="意见建议"
              name="suggestions"
              required
              autosize
              minRows={5}
              defaultValue={v.suggestions ?? ""}
              error={e.suggestions}
              description="对下一阶段工作的意见和建议，将原文写入报告"
            />
            <Button type="submit" size="lg" loading={busy}>
              生成报告
            </Button>
          </Stack>
        </Form>
      </Paper>
      <Stack gap="xs" component="section" aria-labelledby="kept-reports">
        <Title order={2} size="h3" id="kept-reports">
          已生成的报告
        </Title>
        {reports.length === 0 ? (
          <Text c="dimmed">还没有生成过报告。</Text>
        ) : (
          <Table.ScrollContainer minWidth={700}>
            <Table striped withTableBorder>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>地区</Table.Th>
                  <Table.Th>统计期间</Table.Th>
                  <Table.Th>生成人</Table.Th>
                  <Table.Th>生成时间</Table.Th>
                  <Table.Th>下载</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {reports.map((r) => (
                  <Table.Tr key={r.id}>
                    <Table.Td>
                      <Anchor component={Link} to={`/bureau/reports/${r.id}`} display="inline-block" py={10}>
                        {r.placeName}
                      </Anchor>
                    </Table.Td>
                    <Table.Td>
                      {r.from} 至 {r.to}
                    </Table.Td>
                    <Table.Td>{r.createdByName}</Table.Td>
                    <Table.Td>{formatDateTime(r.createdAt)}</Table.Td>
                    <Table.Td>
                      <Anchor href={`/bureau/reports/${r.id}.xlsx`} display="inline-block" py={10} aria-label={`下载 ${r.placeName} ${r.from} 至 ${r.to} 的 XLSX`}>
                        XLSX
                      </Anchor>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Stack>
    </Stack>
  );
}
