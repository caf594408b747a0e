import { Anchor, Button, Stack, Text, TextInput, Timeline } from "@mantine/core";
import { Form, Link } from "@remix-run/react";
import type { ActionTypeCode, IssueStatus } from "../../db/schema";
import { ISSUE_STATUS_LABELS } from "../domain/issues/rules";
import { ACTION_TYPE_INFO } from "../domain/vocabulary";
import { formatDateTime } from "../lib/dates";
import { RelativeTime } from "./RelativeTime";
import { Tag, type TagColor } from "./Tag";
import type { IssueListItem } from "../domain/issues/issues.server";

const STATUS_COLORS: Record<IssueStatus, TagColor> = {
  pending: "gray",
  accepted: "blue",
  declined: "red",
  merged: "gray",
  scheduled: "violet",
  decided: "teal",
  in_call: "orange",
  in_progress: "yellow",
  awaiting_evaluation: "cyan",
  closed: "green",
};

export function StatusBadge({ status }: { status: IssueStatus }) {
  return (
    <Tag color={STATUS_COLORS[status]} variant="light">
      {ISSUE_STATUS_LABELS[status]}
    </Tag>
  );
}

export function ActionTypeBadge({ code }: { code: ActionTypeCode | null }) {
  if (!code) return null;
  return (
    <Tag variant="filled">{ACTION_TYPE_INFO[code].name}</Tag>
  );
}

/** An issue list item as it arrives in the browser (dates serialised). */
export type IssueCardData = Omit<IssueListItem, "createdAt" | "supportedByViewer"> & { createdAt: string | Date; supportedByViewer?: boolean };

/** A photo's text alternative: what its uploader wrote, or else one made from the issue title. */
export function photoAlt(title: string, index: number, count: number, altText?: string | null): string {
  if (altText) return altText;
  return count > 1 ? `${title}（照片 ${index + 1}）` : `${title}（照片）`;
}

/** One issue in a list: plain elements and the classes of app/styles/light.css (lists render dozens). */
export function IssueCard({ issue }: { issue: IssueCardData }) {
  return (
    <article className="card" aria-labelledby={`issue-${issue.id}`}>
      <div className="card-row">
        <div className="card-body">
          <div className="tags">
            <StatusBadge status={issue.status} />
            <Tag variant="outline">{issue.category}</Tag>
            <ActionTypeBadge code={issue.actionType} />
          </div>
          <h3 className="card-title" id={`issue-${issue.id}`}>
            <Link to={`/issues/${issue.id}`} className="link">
              {issue.title}
            </Link>
          </h3>
          <p className="text text-dimmed clamp-2">{issue.excerpt}</p>
          <p className="text text-sm">
            {issue.placeName} · <RelativeTime value={issue.createdAt} /> · 附议 {issue.supportCount} · 评论 {issue.commentCount}
            {issue.supportedByViewer ? " · 您已附议" : ""}
          </p>
        </div>
        {issue.photo ? (
          <img
            src={`/uploads/${issue.photo.id}?size=thumb`}
            alt={photoAlt(issue.title, 0, 1, issue.photo.altText)}
            width={issue.photo.thumbWidth ?? undefined}
            height={issue.photo.thumbHeight ?? undefined}
            className="card-thumb"
            loading="lazy"
          />
        ) : null}
      </div>
    </article>
  );
}

export interface TimelineEvent {
  id: string;
  at: string | Date;
  from: IssueStatus | null;
  to: IssueStatus;
  note: string | null;
  actorName: string | null;
  roundtableId: string | null;
  roundtableTitle: string | null;
}

/** The public record of every status change: when, who, from → to, and the note. */
export function IssueTimeline({ events, authorName }: { events: TimelineEvent[]; authorName: string }) {
  return (
    <Timeline active={events.length - 1} bulletSize={20} lineWidth={2} aria-label="办理进程">
      {events.map((e) => (
        <Timeline.Item key={e.id} title={e.from ? `${ISSUE_STATUS_LABELS[e.from]} → ${ISSUE_STATUS_LABELS[e.to]}` : "提出议题"}>
          <Text size="sm" c="dimmed">
            {formatDateTime(e.at)} · {e.from ? (e.actorName ?? "系统") : authorName}
          </Text>
          {e.note ? <Text>{e.note}</Text> : null}
          {e.roundtableId ? (
            <Anchor component={Link} to={`/roundtables/${e.roundtableId}`} size="sm">
              查看圆桌会：{e.roundtableTitle}
            </Anchor>
          ) : null}
        </Timeline.Item>
      ))}
    </Timeline>
  );
}

/**
 * For the person who uploaded them: what a screen reader reads for each photo. Empty means the
 * default made from the issue title, shown as the field's description.
 */
export function PhotoAltForms({ title, photos, error }: { title: string; photos: Array<{ id: string; altText: string | null }>; error?: { photoId: string; message: string } }) {
  return (
    <details open={error ? true : undefined}>
      <summary className="disclosure">编辑照片说明（供看不见照片的居民收听）</summary>
      <Stack gap="md" pt="xs">
        {photos.map((p, i) => (
          <Form method="post" key={p.id}>
            <input type="hidden" name="intent" value="photoAlt" />
            <input type="hidden" name="photoId" value={p.id} />
            <TextInput
              label={`照片 ${i + 1} 的说明`}
              description={`读屏软件会朗读这段文字。不填则读作“${photoAlt(title, i, photos.length)}”`}
              name="altText"
              maxLength={120}
              defaultValue={p.altText ?? ""}
              error={error?.photoId === p.id ? error.message : undefined}
            />
            <Button type="submit" variant="default" mt="xs" aria-label={`保存照片 ${i + 1} 的说明`}>
              保存说明
            </Button>
          </Form>
        ))}
      </Stack>
    </details>
  );
}
