import { Button, Card, Stack, Text, Textarea, Title } from "@mantine/core";
import { Form } from "@remix-run/react";
import { formatDateTime } from "../lib/dates";

export interface GuidanceNoteItem {
  id: string;
  body: string;
  authorName: string;
  createdAt: string | Date;
}

/**
 * 联络员指导意见 on a project: the notes, oldest first, and for the district's liaison a form to add
 * one. Shown to the organisation and the bureau only (the loaders load notes for them alone).
 */
export function GuidanceNotes({ notes, canWrite, error, value }: { notes: GuidanceNoteItem[]; canWrite: boolean; error?: string; value?: string }) {
  return (
    <section aria-labelledby="guidance-title" id="guidance">
      <Stack gap="sm">
        <Title order={2} size="h3" id="guidance-title">
          联络员指导意见
        </Title>
        <Text size="sm" c="dimmed">
          仅承接组织和民政部门可见，不在公开页面显示。
        </Text>
        {notes.length === 0 ? <Text c="dimmed">暂无指导意见。</Text> : null}
        {notes.map((n) => (
          <Card key={n.id} withBorder padding="md" component="article" aria-label={`${n.authorName}的指导意见`}>
            <Text size="sm" c="dimmed">
              {n.authorName} · {formatDateTime(new Date(n.createdAt))}
            </Text>
            <Text style={{ whiteSpace: "pre-wrap" }}>{n.body}</Text>
          </Card>
        ))}
        {canWrite ? (
          // Keyed by the number of notes: after a note is sent the form starts empty again.
          <Form method="post" key={notes.length}>
            <input type="hidden" name="intent" value="guide" />
            <Stack gap="sm">
              <Textarea label="新增指导意见" name="body" required minRows={3} autosize maxLength={2000} defaultValue={value} error={error} />
              <Button type="submit" size="md" style={{ alignSelf: "flex-start" }}>
                发送指导意见
              </Button>
            </Stack>
          </Form>
        ) : null}
      </Stack>
    </section>
  );
}
