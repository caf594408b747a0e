import { Button, Checkbox, Group, Image, NativeSelect, Paper, SimpleGrid, Stack, Text, Textarea, TextInput, Title } from "@mantine/core";
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { FormErrorSummary } from "../components/FormErrorSummary";
import { draftPhotos, raiseIssue, storeDraftPhotos } from "../domain/issues/issues.server";
import { MAX_PHOTO_BYTES, MAX_PHOTOS } from "../domain/issues/rules";
import { raiseIssueSchema } from "../domain/issues/schema";
import { communityOptions } from "../domain/residents/residents.server";
import { ISSUE_CATEGORIES } from "../domain/vocabulary";
import { parseForm } from "../lib/form";
import { auditContext, requireUser } from "../platform/auth.server";
import { systemClock } from "../platform/clock";
import { getDb } from "../platform/db.server";
import { domainErrorResponse, formValues, invalid } from "../platform/http.server";
import { readMultipartForm } from "../platform/multipart.server";

export const meta: MetaFunction = () => [{ title: "提出议题 · 邻里守望" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const actor = await requireUser(request, context);
  const home = actor.roles.find((r) => r.role === "resident")?.placeId ?? null;
  return { communities: await communityOptions(getDb()), home: home ? String(home) : "" };
}

/** More parts than photos allowed are reported, not stored; storeDraftPhotos enforces the 6-photo limit. */
const MAX_PARTS = 12;

export async function action({ request, context }: ActionFunctionArgs) {
  const actor = await requireUser(request, context);
  const userId = actor.user.id;
  const upload = await readMultipartForm(request, "photos", { maxBytes: MAX_PHOTO_BYTES, maxFiles: MAX_PARTS });
  if (!upload) return invalid({ formError: "请通过页面上的表单提交" });
  const { form, files } = upload;
  const photoErrors = [...upload.errors];
  const db = getDb();
  const requested = form.getAll("photoIds").filter((v): v is string => typeof v === "string" && /^[0-9a-f-]{36}$/.test(v));
  const kept = (await draftPhotos(db, userId, requested)).map((p) => p.id);
  // Photos are kept as drafts even when the rest of the form is refused, so nobody re-selects them.
  const stored = await db.transaction().execute((trx) => storeDraftPhotos(trx, userId, files, kept.length, systemClock));
  photoErrors.push(...stored.errors);
  const photoIds = [...kept, ...stored.ids];

  const fields = new FormData();
  for (const [k, v] of form) if (typeof v === "string" && k !== "photos" && k !== "photoIds") fields.append(k, v);
  for (const id of photoIds) fields.append("photoIds", id);
  const parsed = parseForm(raiseIssueSchema, fields, ["photoIds"]);
  if (!parsed.ok || photoErrors.length) {
    const fieldErrors = parsed.ok ? {} : parsed.fieldErrors;
    if (photoErrors.length) fieldErrors.photos = photoErrors.join("；");
    return invalid({ fieldErrors, values: { ...formValues(fields, ["photoIds"]), photoIds } });
  }
  try {
    const issue = await db.transaction().execute((trx) => raiseIssue(trx, auditContext(actor), userId, parsed.data, systemClock));
    return redirect(`/issues/${issue.id}?raised=1`);
  } catch (e) {
    return domainErrorResponse(e, { ...formValues(fields, ["photoIds"]), photoIds });
  }
}

export default function NewIssue() {
  const { communities, home } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const v = (result?.values ?? {}) as Record<string, string | string[] | undefined>;
  const str = (k: string) => (typeof v[k] === "string" ? (v[k] as string) : "");
  const kept = Array.isArray(v.photoIds) ? v.photoIds : [];
  const e = result?.fieldErrors ?? {};
  return (
    <Stack maw={760} mx="auto">
      <Title order={1}>提出议题</Title>
      <Text>说说身边需要解决的事。社区工作者受理后，议题可以在“幸福圆桌会”上协商。</Text>
      <Paper withBorder p="md">
        <Form method="post" encType="multipart/form-data" noValidate>
          <Stack>
            <FormErrorSummary formError={result?.formError} fieldErrors={result?.fieldErrors} />
            <TextInput label="标题" description="5–60 个字" name="title" required maxLength={60} defaultValue={str("title")} error={e.title} />
            <Textarea label="问题描述" description="最多 2000 个字：在哪里、什么情况、影响了谁" name="description" required autosize minRows={5} maxLength={2000} defaultValue={str("description")} error={e.description} />
            <NativeSelect label="类别" name="category" required defaultValue={str("category")} error={e.category} data={[{ value: "", label: "请选择" }, ...ISSUE_CATEGORIES]} />
            <NativeSelect label="所在社区" name="placeId" required defaultValue={str("placeId") || home} error={e.placeId} data={[{ value: "", label: "请选择" }, ...communities]} />
            <TextInput label="具体位置（可选）" name="locationText" maxLength={100} defaultValue={str("locationText")} error={e.locationText} placeholder="例如：3 栋与 5 栋之间" />
            <TextInput label="公开显示的名称（可选）" description="不填则显示您的称呼" name="visibleName" maxLength={20} defaultValue={str("visibleName")} error={e.visibleName} />
            <Checkbox label="对公众匿名（社区工作者仍能看到是谁提出的）" name="anonymous" defaultChecked={str("anonymous") === "on"} size="md" />
            {kept.length > 0 ? (
              <fieldset style={{ border: 0, padding: 0, margin: 0 }}>
                <legend>
                  <Text fw={600}>已上传的照片（取消勾选即不保留）</Text>
                </legend>
                <SimpleGrid cols={{ base: 2, xs: 3 }}>
                  {kept.map((id, i) => (
                    <Stack key={id} gap={4}>
                      <Image src={`/uploads/${id}?size=thumb`} alt={`已上传的照片 ${i + 1}`} h={100} fit="cover" radius="sm" />
                      <Checkbox name="photoIds" value={id} defaultChecked label={`保留照片 ${i + 1}`} size="md" />
                    </Stack>
                  ))}
                </SimpleGrid>
              </fieldset>
            ) : null}
            {/* A new key empties the file input once its files are stored as drafts (shown above), so submitting again does not attach them twice. */}
            <PhotoInput key={kept.join(",")} error={e.photos} />
            <Group>
              <Button type="submit" loading={busy}>
                提交议题
              </Button>
            </Group>
          </Stack>
        </Form>
      </Paper>
    </Stack>
  );
}

/** A native file input (works without JavaScript) with a real label and a large target. */
function PhotoInput({ error }: { error?: string }) {
  return (
    <Stack gap={4}>
      <Text component="label" htmlFor="photos" fw={500}>
        照片（可选）
      </Text>
      <Text size="sm" c="dimmed" id="photos-help">
        最多 {MAX_PHOTOS} 张，JPEG/PNG/WebP，每张不超过 5 MB；照片中的位置等拍摄信息会被去除
      </Text>
      <input
        id="photos"
        type="file"
        name="photos"
        multiple
        accept="image/jpeg,image/png,image/webp"
        aria-describedby={error ? "photos-help photos-error" : "photos-help"}
        aria-invalid={error ? true : undefined}
        className="file-input"
      />
      {error ? (
        <Text size="sm" c="red.8" id="photos-error">
          {error}
        </Text>
      ) : null}
    </Stack>
  );
}
