import { Button, Checkbox, Group, NativeSelect, NumberInput, Paper, Stack, Text, Textarea, TextInput, Title } from "@mantine/core";
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { FormErrorSummary } from "../components/FormErrorSummary";
import { listAgendaCandidates } from "../domain/issues/issues.server";
import { communityOptions } from "../domain/residents/residents.server";
import { scheduleRoundtable } from "../domain/roundtables/roundtables.server";
import { scheduleRoundtableSchema } from "../domain/roundtables/schema";
import { getPlace } from "../domain/places/places.server";
import { parseForm } from "../lib/form";
import { requirePermission, requireUser } from "../platform/auth.server";
import { systemClock } from "../platform/clock";
import { getDb } from "../platform/db.server";
import { domainErrorResponse, formValues, invalid } from "../platform/http.server";

export const meta: MetaFunction = () => [{ title: "安排圆桌会 · 邻里守望" }];

const querySchema = z.object({ place: z.coerce.number().int().positive().optional().catch(undefined) });

export async function loader({ request, context }: LoaderFunctionArgs) {
  const actor = await requireUser(request, context);
  const db = getDb();
  const staffPaths = actor.roles.filter((r) => r.role === "community_staff" && r.placePath).map((r) => r.placePath!);
  if (staffPaths.length === 0) throw new Response("只有社区工作者可以安排圆桌会", { status: 403 });
  const communities = (await Promise.all(staffPaths.map((p) => communityOptions(db, p)))).flat();
  const { place: placeId } = querySchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  const chosen = placeId ?? (communities.length === 1 ? Number(communities[0].value) : undefined);
  const place = chosen ? await getPlace(db, chosen) : undefined;
  if (place) await requirePermission(request, context, "roundtable.manage", { placePath: place.path });
  return {
    communities,
    place: place ? { id: String(place.id), name: place.name } : null,
    candidates: place ? await listAgendaCandidates(db, place.path) : [],
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await request.formData();
  const values = { ...formValues(form), agenda: form.getAll("agenda").map(String) };
  const parsed = parseForm(scheduleRoundtableSchema, form, ["agenda"]);
  if (!parsed.ok) return invalid({ fieldErrors: parsed.fieldErrors, formError: parsed.formError, values });
  const place = await getPlace(getDb(), parsed.data.placeId);
  if (!place) return invalid({ fieldErrors: { placeId: "请选择社区" }, values });
  const { audit } = await requirePermission(request, context, "roundtable.manage", { placePath: place.path });
  try {
    const rt = await getDb()
      .transaction()
      .execute((trx) => scheduleRoundtable(trx, audit, parsed.data, systemClock));
    return redirect(`/roundtables/${rt.id}/manage?created=1`);
  } catch (e) {
    return domainErrorResponse(e, values);
  }
}

export default function NewRoundtable() {
  const { communities, place, candidates } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const v = (result?.values ?? {}) as Record<string, string | string[]>;
  const s = (k: string) => (typeof v[k] === "string" ? (v[k] as string) : "");
  const agenda = Array.isArray(v.agenda) ? v.agenda : [];
  const e = result?.fieldErrors ?? {};
  return (
    <Stack maw={760} mx="auto">
      <Title order={1}>安排幸福圆桌会</Title>
      <Form method="get">
        <Group align="flex-end">
          <NativeSelect label="召开社区" name="place" defaultValue={place?.id ?? ""} data={[{ value: "", label: "请选择" }, ...communities]} style={{ flex: "1 1 260px" }} />
          <Button type="submit" variant="default">
            选择
          </Button>
        </Group>
      </Form>
      {place ? (
        <Paper withBorder p="md">
          <Form method="post" noValidate>
            <input type="hidden" name="placeId" value={place.id} />
            <Stack>
              <FormErrorSummary formError={result?.formError} fieldErrors={result?.fieldErrors} />
              <TextInput label="会议名称" name="title" required defaultValue={s("title") || `${place.name}幸福圆桌会`} error={e.title} />
              <TextInput label="开始时间" description="北京时间" type="datetime-local" name="startsAt" required defaultValue={s("startsAt")} error={e.startsAt} />
              <TextInput label="地点" name="venue" required defaultValue={s("venue")} error={e.venue} />
              <NumberInput label="名额" name="capacity" required min={1} max={1000} defaultValue={s("capacity") || 30} error={e.capacity} />
              <Textarea label="会议说明" name="description" autosize minRows={3} defaultValue={s("description")} error={e.description} />
              <TextInput label="受邀单位/联络员（可选）" name="invited" defaultValue={s("invited")} error={e.invited} />
              <fieldset style={{ border: 0, padding: 0, margin: 0 }}>
                <legend>
                  <Text fw={600}>议程（已受理的议题，按勾选顺序排列）</Text>
                </legend>
                {candidates.length === 0 ? <Text c="dimmed">本社区暂无已受理的议题。</Text> : null}
                <Stack gap="xs">
                  {candidates.map((c) => (
                    <Checkbox key={c.id} name="agenda" value={c.id} defaultChecked={agenda.includes(c.id)} label={`${c.title}（附议 ${c.supportCount}）`} size="md" />
                  ))}
                </Stack>
                {e.agenda ? (
                  <Text c="red.8" size="sm">
                    {e.agenda}
                  </Text>
                ) : null}
              </fieldset>
              <Button type="submit" loading={busy} w="fit-content">
                保存为草稿
              </Button>
            </Stack>
          </Form>
        </Paper>
      ) : (
        <Text c="dimmed">请先选择召开圆桌会的社区。</Text>
      )}
    </Stack>
  );
}
