import { Alert, Button, Card, Group, NativeSelect, Stack, Table, Text, Title } from "@mantine/core";
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { FormErrorSummary } from "../components/FormErrorSummary";
import { careActor, careScopes } from "../domain/care/access.server";
import { confirmImport, discardImport, getImportBatch, MAX_IMPORT_BYTES, previewImport } from "../domain/care/import.server";
import { IMPORT_COLUMNS } from "../domain/care/schema";
import { getPlace } from "../domain/places/places.server";
import { formatDateTime } from "../lib/dates";
import { auditContext, requirePermission, requireUser } from "../platform/auth.server";
import { systemClock } from "../platform/clock";
import { getDb } from "../platform/db.server";
import { domainErrorResponse, invalid, readFormOr400, throwAsResponse } from "../platform/http.server";

export const meta: MetaFunction = () => [{ title: "批量导入关爱对象 · 邻里守望" }];

const querySchema = z.object({ batch: z.uuid().optional().catch(undefined) });

async function gate(request: Request, context: LoaderFunctionArgs["context"]) {
  const user = await requireUser(request, context);
  const scopes = careScopes(careActor(user), "care.import");
  const { actor } = await requirePermission(request, context, "care.import", { placePath: scopes[0]?.placePath ?? null });
  return { actor, scopes };
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { actor, scopes } = await gate(request, context);
  const { batch: batchId } = querySchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  const db = getDb();
  const places = await Promise.all(scopes.map((s) => getPlace(db, s.placeId!)));
  try {
    const batch = batchId ? await getImportBatch(db, careActor(actor), systemClock, batchId) : null;
    return { batch, places: places.filter((p) => p != null).map((p) => ({ value: String(p.id), label: p.name })) };
  } catch (e) {
    throwAsResponse(e);
  }
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { actor } = await gate(request, context);
  const care = careActor(actor);
  const ctx = auditContext(actor);
  if (Number(request.headers.get("content-length") ?? 0) > MAX_IMPORT_BYTES + 64 * 1024) return invalid({ formError: "文件超过 5 MB，请分批导入" });
  const form = await readFormOr400(() => request.formData());
  const intent = form.get("intent");
  const db = getDb();
  try {
    if (intent === "upload") {
      const file = form.get("file");
      // CSV or XLSX is told apart by the file's bytes in previewImport, not by its name.
      if (!(file instanceof File) || file.size === 0) return invalid({ fieldErrors: { file: "请选择要导入的 CSV 或 XLSX 文件" } });
      const placeId = Number(form.get("placeId"));
      if (!Number.isSafeInteger(placeId) || placeId <= 0) return invalid({ fieldErrors: { placeId: "请选择导入到哪个地区" } });
      const preview = await db.transaction().execute(async (trx) => previewImport(trx, care, ctx, systemClock, { fileName: file.name, bytes: new Uint8Array(await file.arrayBuffer()), placeId }));
      return redirect(`/care/import?batch=${preview.batchId}`);
    }
    const batchId = String(form.get("batchId") ?? "");
    if ((intent === "confirm" || intent === "discard") && !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(batchId)) return invalid({ formError: "导入批次不存在" });
    if (intent === "confirm") {
      const done = await db.transaction().execute((trx) => confirmImport(trx, care, ctx, systemClock, batchId));
      return redirect(`/care/targets?imported=${done.imported}`);
    }
    if (intent === "discard") {
      await db.transaction().execute((trx) => discardImport(trx, care, ctx, systemClock, batchId));
      return redirect("/care/import");
    }
    return invalid({ formError: "未知操作" });
  } catch (e) {
    return domainErrorResponse(e);
  }
}

export default function CareImport() {
  const { batch, places } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  return (
    <Stack maw={1000} mx="auto" gap="lg">
      <Title order={1}>批量导入关爱对象</Title>
      <FormErrorSummary formError={result?.formError} fieldErrors={result?.fieldErrors} />
      {batch ? (
        <Card withBorder padding="lg" component="section" aria-labelledby="preview-title">
          <Title order={2} size="h3" id="preview-title" mb="xs">
            预览：{batch.fileName}
          </Title>
          <Text c="dimmed" mb="sm">
            上传于 {formatDateTime(batch.createdAt)}。共 {batch.totalRows} 行：可导入 <strong data-testid="good-rows">{batch.goodRows}</strong> 行，有问题{" "}
            <strong data-testid="bad-rows">{batch.badLines}</strong> 行。确认之前不会写入任何记录。
          </Text>
          {batch.problems.length > 0 ? (
            <Table.ScrollContainer minWidth={520}>
              <Table striped withTableBorder aria-label="有问题的行">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>行号</Table.Th>
                    <Table.Th>字段</Table.Th>
                    <Table.Th>原因</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {batch.problems.map((p, i) => (
                    <Table.Tr key={i}>
                      <Table.Td>第 {p.line} 行</Table.Td>
                      <Table.Td>{p.field}</Table.Td>
                      <Table.Td>{p.reason}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          ) : (
            <Text c="teal.9">所有行均通过校验。</Text>
          )}
          {batch.status === "preview" && !batch.expired ? (
            <Group mt="md">
              <Form method="post">
                <input type="hidden" name="intent" value="confirm" />
                <input type="hidden" name="batchId" value={batch.id} />
                <Button type="submit" loading={busy} disabled={batch.goodRows === 0}>
                  确认导入 {batch.goodRows} 行
                </Button>
              </Form>
              <Form method="post">
                <input type="hidden" name="intent" value="discard" />
                <input type="hidden" name="batchId" value={batch.id} />
                <Button type="submit" variant="default" loading={busy}>
                  放弃
                </Button>
              </Form>
            </Group>
          ) : (
            <Alert mt="md" color="gray">
              {batch.status === "confirmed" ? "该批次已导入。" : batch.status === "discarded" ? "该批次已放弃。" : "预览已过期，请重新上传。"}
            </Alert>
          )}
        </Card>
      ) : null}
      <Card withBorder padding="lg" component="section" aria-labelledby="upload-title">
        <Title order={2} size="h3" id="upload-title" mb="xs">
          上传“数字民政”导出的名单
        </Title>
        <Text size="sm" mb="sm">
          Excel 表格（.xlsx，读取第一个工作表）或 CSV 文件（UTF-8 或 Excel 默认的 GBK 编码均可），第一行为表头。必需的列：{IMPORT_COLUMNS.name}、{IMPORT_COLUMNS.idNumber}、{IMPORT_COLUMNS.community}、{IMPORT_COLUMNS.groups}（多个用“、”或“;”分隔）、
          {IMPORT_COLUMNS.consentMethod}（书面/口头/电子）；可选：{IMPORT_COLUMNS.phone}、{IMPORT_COLUMNS.address}、{IMPORT_COLUMNS.needs}、{IMPORT_COLUMNS.guardianName}、{IMPORT_COLUMNS.guardianRelation}、
          {IMPORT_COLUMNS.guardianPhone}、{IMPORT_COLUMNS.source}、{IMPORT_COLUMNS.consentBy}、{IMPORT_COLUMNS.consentOn}、{IMPORT_COLUMNS.consentPhotos}、{IMPORT_COLUMNS.referredOn}。
        </Text>
        <Text size="sm" mb="sm">
          导出前请在 Excel 中把“{IMPORT_COLUMNS.idNumber}”列设为<strong>文本</strong>格式：存成数字的 18 位号码会丢失末几位，这样的行会被列为有问题的行。旧版 .xls 请先另存为 .xlsx。
        </Text>
        <Form method="post" encType="multipart/form-data">
          <input type="hidden" name="intent" value="upload" />
          <Group align="flex-end">
            <NativeSelect label="导入到" name="placeId" data={places} />
            <Stack gap={4}>
              <label htmlFor="import-file" style={{ fontWeight: 500, fontSize: "var(--mantine-font-size-sm)" }}>
                名单文件（XLSX 或 CSV）
              </label>
              <input
                id="import-file"
                type="file"
                name="file"
                accept=".xlsx,.csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,text/csv"
                required
                style={{ minHeight: 44 }}
                aria-describedby={result?.fieldErrors?.file ? "import-file-error" : undefined}
              />
              {result?.fieldErrors?.file ? (
                <Text id="import-file-error" c="red.8" size="sm">
                  {result.fieldErrors.file}
                </Text>
              ) : null}
            </Stack>
            <Button type="submit" loading={busy}>
              上传并检查
            </Button>
          </Group>
        </Form>
      </Card>
    </Stack>
  );
}
