import { Alert, Anchor, Badge, Button, Card, Group, NativeSelect, SimpleGrid, Stack, Text, Textarea, Title } from "@mantine/core";
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import type { ReactNode } from "react";
import { FormErrorSummary } from "../components/FormErrorSummary";
import { ActionTypeBadge, IssueTimeline, photoAlt, PhotoAltForms, StatusBadge } from "../components/issues";
import {
  addComment,
  deleteComment,
  editComment,
  getIssue,
  hideContent,
  issueRef,
  mergeCandidates,
  reportContent,
  supportIssue,
  transitionIssue,
  withdrawSupport,
  type IssueDetail,
} from "../domain/issues/issues.server";
import { canEditComment, DECISION_LABELS, describeDecision, isTerminal } from "../domain/issues/rules";
import { setPhotoAltText } from "../domain/issues/photo-alt.server";
import { closeIssueSchema, commentSchema, deleteCommentSchema, editCommentSchema, hideSchema, photoAltSchema, reportSchema, reviewIssueSchema } from "../domain/issues/schema";
import { formatDateTime } from "../lib/dates";
import { parseForm } from "../lib/form";
import { formatYuan } from "../lib/money";
import { auditContext, forbidden, getActor, requirePermission, requirePlaceGrants, requireUser } from "../platform/auth.server";
import { systemClock } from "../platform/clock";
import { getDb } from "../platform/db.server";
import { DomainError } from "../platform/errors";
import { domainErrorResponse, formValues, invalid, notFound } from "../platform/http.server";
import { can } from "../platform/permissions";

export const meta: MetaFunction<typeof loader> = ({ data: d }) => [{ title: `${d?.issue.title ?? "议题"} · 邻里守望` }];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const db = getDb();
  const actor = await getActor(request, context);
  const ref = /^[0-9a-f-]{36}$/.test(params.issueId ?? "") ? await issueRef(db, params.issueId!) : undefined;
  if (!ref) notFound("议题不存在");
  const placePath = ref.path;
  const isStaff = can(actor, "issue.moderate", { placePath });
  const issue = await getIssue(db, params.issueId!, { userId: actor.user?.id ?? null, isStaff });
  if (!issue) notFound("议题不存在");
  return {
    issue,
    viewer: {
      signedIn: actor.user !== null,
      userId: actor.user?.id ?? null,
      isStaff,
      canSupport: can(actor, "issue.support", { placePath }),
    },
    mergeOptions: isStaff && (issue.status === "pending" || issue.status === "accepted") ? await mergeCandidates(db, issue.id, issue.placeId) : [],
    now: systemClock.now().toISOString(),
  };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const db = getDb();
  const issueId = params.issueId ?? "";
  if (!/^[0-9a-f-]{36}$/.test(issueId)) notFound("议题不存在");
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "");
  const values = { ...formValues(form), intent };
  // The busiest writes read their issue in their own statement (one round trip fewer); a support's
  // statement also applies the permission's place rule to the actor's grants.
  if (intent === "support" || intent === "comment") {
    try {
      if (intent === "support") {
        const { actor, grants } = await requirePlaceGrants(request, context, "issue.support");
        await supportIssue(db, auditContext(actor), actor.user.id, issueId, systemClock, grants);
        return data({ ok: true as const, message: "已附议" });
      }
      const actor = await requireUser(request, context);
      const parsed = parseForm(commentSchema, form);
      if (!parsed.ok) return invalid({ fieldErrors: parsed.fieldErrors, values });
      await addComment(db, auditContext(actor), actor.user.id, issueId, parsed.data, systemClock);
      return data({ ok: true as const, message: parsed.data.parentId ? "已回复" : "已发表评论" });
    } catch (e) {
      if (e instanceof DomainError && e.code === "not_found") notFound("议题不存在");
      if (e instanceof DomainError && e.code === "forbidden" && intent === "support") forbidden("issue.support");
      return domainErrorResponse(e, values);
    }
  }
  // Read once: the permission is checked on its place, and the command is handed the same row.
  const issue = await issueRef(db, issueId);
  if (!issue) notFound("议题不存在");
  const placePath = issue.path;
  try {
    switch (intent) {
      case "withdraw": {
        const { actor, audit } = await requirePermission(request, context, "issue.support", { placePath });
        // Two statements: the delete and its audit row.
        await db.transaction().execute((trx) => withdrawSupport(trx, audit, actor.user.id, issue));
        return data({ ok: true as const, message: "已撤回附议" });
      }
      case "editComment": {
        const actor = await requireUser(request, context);
        const parsed = parseForm(editCommentSchema, form);
        if (!parsed.ok) return invalid({ fieldErrors: parsed.fieldErrors, values });
        await db.transaction().execute((trx) => editComment(trx, auditContext(actor), actor.user.id, parsed.data.commentId, parsed.data.body, systemClock));
        return data({ ok: true as const, message: "评论已修改" });
      }
      case "deleteComment": {
        const actor = await requireUser(request, context);
        const parsed = parseForm(deleteCommentSchema, form);
        if (!parsed.ok) return invalid({ fieldErrors: parsed.fieldErrors, formError: parsed.fieldErrors.commentId, values });
        await db.transaction().execute((trx) => deleteComment(trx, auditContext(actor), actor.user.id, parsed.data.commentId, systemClock));
        return data({ ok: true as const, message: "评论已删除" });
      }
      case "photoAlt": {
        const actor = await requireUser(request, context);
        const parsed = parseForm(photoAltSchema, form);
        if (!parsed.ok) return invalid({ fieldErrors: parsed.fieldErrors, values });
        await db.transaction().execute((trx) => setPhotoAltText(trx, auditContext(actor), actor.user.id, { issueId, ...parsed.data }));
        return data({ ok: true as const, message: "照片说明已保存" });
      }
      case "report": {
        const actor = await requireUser(request, context);
        const parsed = parseForm(reportSchema, form);
        if (!parsed.ok) return invalid({ fieldErrors: parsed.fieldErrors, values });
        await db.transaction().execute((trx) => reportContent(trx, auditContext(actor), actor.user.id, { issueId, ...parsed.data }, systemClock));
        return data({ ok: true as const, message: "举报已提交，社区工作者会尽快处理" });
      }
      case "hide": {
        const { audit } = await requirePermission(request, context, "issue.moderate", { placePath });
        const parsed = parseForm(hideSchema, form);
        if (!parsed.ok) return invalid({ fieldErrors: parsed.fieldErrors, values });
        await db.transaction().execute((trx) => hideContent(trx, audit, { issueId, ...parsed.data }, systemClock));
        return data({ ok: true as const, message: "已隐藏，并已通知作者" });
      }
      case "review": {
        const { audit } = await requirePermission(request, context, "issue.moderate", { placePath });
        const parsed = parseForm(reviewIssueSchema, form);
        if (!parsed.ok) return invalid({ fieldErrors: parsed.fieldErrors, values });
        const { to, note, mergedIntoId } = parsed.data;
        await db.transaction().execute((trx) => transitionIssue(trx, audit, issueId, to, { note, mergedIntoId }, systemClock));
        return data({ ok: true as const, message: "议题状态已更新" });
      }
      case "close": {
        const { audit } = await requirePermission(request, context, "issue.moderate", { placePath });
        const parsed = parseForm(closeIssueSchema, form);
        if (!parsed.ok) return invalid({ fieldErrors: parsed.fieldErrors, values });
        await db.transaction().execute((trx) => transitionIssue(trx, audit, issueId, "closed", { note: parsed.data.note }, systemClock));
        return data({ ok: true as const, message: "议题已提前办结" });
      }
      default:
        return invalid({ formError: "未知操作" });
    }
  } catch (e) {
    return domainErrorResponse(e, values);
  }
}

type Comment = IssueDetail["comments"][number];

export default function IssuePage() {
  const { issue, viewer, mergeOptions, now } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [params] = useSearchParams();
  const busy = useNavigation().state === "submitting";
  const errors = result && !result.ok ? result : undefined;
  const hidden = issue.hiddenAt !== null;
  const top = issue.comments.filter((c) => !c.parentId);
  const replies = (id: string) => issue.comments.filter((c) => c.parentId === id);

  return (
    <Stack maw={900} mx="auto" gap="lg">
      {params.get("raised") ? (
        <Alert color="teal" title="议题已提交" role="status">
          社区工作者受理后会在这里更新进展，您会在“消息”中收到通知。
        </Alert>
      ) : null}
      {result?.ok ? (
        <Alert color="teal" role="status">
          {result.message}
        </Alert>
      ) : null}
      <FormErrorSummary formError={errors?.formError} fieldErrors={errors?.fieldErrors} />

      <Stack gap="xs">
        <Group gap="xs">
          <StatusBadge status={issue.status} />
          <Badge variant="outline" size="lg" radius="sm">
            {issue.category}
          </Badge>
          <ActionTypeBadge code={issue.actionType} />
        </Group>
        <Title order={1}>{issue.title}</Title>
        <Text c="dimmed">
          {issue.placeName}
          {issue.locationText ? ` · ${issue.locationText}` : ""} · {issue.authorName} 提出于 {formatDateTime(issue.createdAt)}
          {issue.staffAuthor ? `（实名：${issue.staffAuthor}）` : ""}
        </Text>
      </Stack>

      {hidden ? (
        <Alert color="gray" title="已被隐藏">
          理由：{issue.hiddenReason}
        </Alert>
      ) : null}
      {issue.mergedInto ? (
        <Alert color="gray" title="已合并">
          此议题已合并到 <Anchor component={Link} to={`/issues/${issue.mergedInto.id}`}>{issue.mergedInto.title}</Anchor>
        </Alert>
      ) : null}

      {issue.description ? <Text style={{ whiteSpace: "pre-wrap" }}>{issue.description}</Text> : null}
      {issue.photos.length > 0 ? (
        <SimpleGrid cols={{ base: 2, sm: 3 }} spacing="xs" aria-label="照片">
          {issue.photos.map((p, i) => (
            <a key={p.id} href={`/uploads/${p.id}`} target="_blank" rel="noreferrer">
              <img
                src={`/uploads/${p.id}?size=thumb`}
                alt={photoAlt(issue.title, i, issue.photos.length, p.altText)}
                width={p.thumbWidth ?? undefined}
                height={p.thumbHeight ?? undefined}
                className="thumb"
                loading="lazy"
              />
            </a>
          ))}
        </SimpleGrid>
      ) : null}
      {issue.isAuthor && issue.photos.length > 0 ? (
        <PhotoAltForms
          title={issue.title}
          photos={issue.photos}
          error={errors?.values?.intent === "photoAlt" && errors.fieldErrors?.altText ? { photoId: String(errors.values.photoId ?? ""), message: errors.fieldErrors.altText } : undefined}
        />
      ) : null}

      <Card withBorder padding="md">
        <Group justify="space-between">
          <Text size="lg" fw={700} data-testid="support-count">
            {issue.supportCount} 位居民附议
          </Text>
          {!hidden && !isTerminal(issue.status) ? (
            viewer.canSupport ? (
              <Form method="post">
                <input type="hidden" name="intent" value={issue.supportedByViewer ? "withdraw" : "support"} />
                <Button type="submit" variant={issue.supportedByViewer ? "default" : "filled"} loading={busy}>
                  {issue.supportedByViewer ? "撤回附议" : "附议"}
                </Button>
              </Form>
            ) : (
              <Text size="sm" c="dimmed">
                {viewer.signedIn ? (
                  <>
                    本社区认证居民可附议。<Anchor component={Link} to="/residents/verify">申请居民认证</Anchor>
                  </>
                ) : (
                  <Anchor component={Link} to={`/login?redirectTo=/issues/${issue.id}`}>登录后附议</Anchor>
                )}
              </Text>
            )
          ) : null}
        </Group>
        {issue.supportedByViewer ? <Text size="sm">您已附议此议题</Text> : null}
      </Card>

      {viewer.isStaff && (issue.status === "pending" || issue.status === "accepted") ? (
        <Card withBorder padding="md" component="section" aria-labelledby="review-title">
          <Title order={2} size="h4" id="review-title" mb="sm">
            受理议题（社区工作者）
          </Title>
          <Form method="post">
            <input type="hidden" name="intent" value="review" />
            <Stack gap="sm">
              <NativeSelect
                label="处理方式"
                name="to"
                defaultValue=""
                data={[
                  { value: "", label: "请选择" },
                  ...(issue.status === "pending" ? [{ value: "accepted", label: "受理" }] : []),
                  { value: "declined", label: "不予受理（需写明理由）" },
                  { value: "merged", label: "合并到重复议题" },
                ]}
              />
              <NativeSelect label="合并到（仅合并时）" name="mergedIntoId" defaultValue="" data={[{ value: "", label: "（不合并）" }, ...mergeOptions.map((m) => ({ value: m.id, label: m.title }))]} />
              <Textarea label="说明（公开显示在办理进程中）" name="note" autosize minRows={2} maxLength={500} />
              <Group>
                <Button type="submit" loading={busy}>
                  确认
                </Button>
              </Group>
            </Stack>
          </Form>
        </Card>
      ) : null}

      {viewer.isStaff && (issue.status === "in_progress" || issue.status === "awaiting_evaluation") ? (
        <Card withBorder padding="md" component="section" aria-labelledby="close-title">
          <Title order={2} size="h4" id="close-title" mb="sm">
            提前办结（社区工作者）
          </Title>
          <Form method="post">
            <input type="hidden" name="intent" value="close" />
            <Stack gap="sm">
              <Textarea label="提前办结的理由（必填，公开显示在办理进程中）" name="note" autosize minRows={2} maxLength={500} />
              <Group>
                <Button type="submit" loading={busy} variant="outline">
                  提前办结
                </Button>
              </Group>
            </Stack>
          </Form>
        </Card>
      ) : null}

      {issue.decisions.length > 0 ? (
        <section aria-labelledby="decisions-title">
          <Title order={2} size="h3" id="decisions-title" mb="sm">
            圆桌会议定
          </Title>
          <Stack gap="xs">
            {issue.decisions.map((d) => (
              <Card key={d.id} withBorder padding="sm">
                <Text fw={700}>{DECISION_LABELS[d.kind]}</Text>
                <Text>{describeDecision(d)}</Text>
                {d.budgetEstimateFen !== null ? <Text size="sm">预算估算：{formatYuan(d.budgetEstimateFen)}</Text> : null}
                {d.votesFor !== null ? (
                  <Text size="sm">
                    举手表决：赞成 {d.votesFor}，反对 {d.votesAgainst ?? 0}，弃权 {d.votesAbstain ?? 0}
                  </Text>
                ) : null}
                <Anchor component={Link} to={`/roundtables/${d.roundtableId}`} size="sm">
                  会议纪要：{d.roundtableTitle}
                </Anchor>
              </Card>
            ))}
          </Stack>
        </section>
      ) : null}

      <section aria-labelledby="timeline-title">
        <Title order={2} size="h3" id="timeline-title" mb="sm">
          办理进程
        </Title>
        <IssueTimeline events={issue.events} authorName={issue.authorName} />
      </section>

      <section aria-labelledby="comments-title">
        <Title order={2} size="h3" id="comments-title" mb="sm">
          讨论（{issue.commentCount}）
        </Title>
        <Stack gap="sm">
          {top.map((c) => (
            <Card key={c.id} withBorder padding="sm" id={`c-${c.id}`}>
              <CommentView comment={c} now={now} viewer={viewer} busy={busy} editing={params.get("edit") === c.id} />
              <Stack gap="xs" pl="md" mt="xs" style={{ borderLeft: "3px solid var(--mantine-color-gray-3)" }}>
                {replies(c.id).map((r) => (
                  <div key={r.id} id={`c-${r.id}`}>
                    <CommentView comment={r} now={now} viewer={viewer} busy={busy} editing={params.get("edit") === r.id} />
                  </div>
                ))}
                {viewer.signedIn && !hidden ? (
                  <Disclosure summary="回复">
                    <Form method="post">
                      <input type="hidden" name="intent" value="comment" />
                      <input type="hidden" name="parentId" value={c.id} />
                      <Textarea label="回复内容" name="body" autosize minRows={2} maxLength={1000} required />
                      <Button type="submit" mt="xs" variant="light" loading={busy}>
                        发表回复
                      </Button>
                    </Form>
                  </Disclosure>
                ) : null}
              </Stack>
            </Card>
          ))}
          {top.length === 0 ? <Text c="dimmed">还没有评论。</Text> : null}
        </Stack>
        {viewer.signedIn && !hidden ? (
          <Form method="post" style={{ marginTop: 16 }}>
            <input type="hidden" name="intent" value="comment" />
            <Textarea
              label="发表评论"
              name="body"
              autosize
              minRows={3}
              maxLength={1000}
              required
              defaultValue={errors?.values?.intent === "comment" && !errors.values.parentId ? String(errors.values.body ?? "") : ""}
              error={errors?.values?.intent === "comment" ? errors.fieldErrors?.body : undefined}
            />
            <Button type="submit" mt="xs" loading={busy}>
              发表评论
            </Button>
          </Form>
        ) : !viewer.signedIn ? (
          <Text mt="md">
            <Anchor component={Link} to={`/login?redirectTo=/issues/${issue.id}`}>登录</Anchor>后参与讨论。
          </Text>
        ) : null}
      </section>

      {viewer.signedIn && !hidden ? (
        <Group>
          <Disclosure summary="举报此议题">
            <ReportForm busy={busy} />
          </Disclosure>
          {viewer.isStaff ? (
            <Disclosure summary="隐藏此议题（社区工作者）">
              <HideForm busy={busy} />
            </Disclosure>
          ) : null}
        </Group>
      ) : null}
    </Stack>
  );
}

function Disclosure({ summary, children }: { summary: string; children: ReactNode }) {
  return (
    <details>
      <summary className="disclosure">{summary}</summary>
      <div style={{ paddingTop: 8 }}>{children}</div>
    </details>
  );
}

function ReportForm({ commentId, busy }: { commentId?: string; busy: boolean }) {
  return (
    <Form method="post">
      <input type="hidden" name="intent" value="report" />
      {commentId ? <input type="hidden" name="commentId" value={commentId} /> : null}
      <Textarea label="举报理由" name="reason" autosize minRows={2} maxLength={200} required />
      <Button type="submit" mt="xs" variant="light" color="red" loading={busy}>
        提交举报
      </Button>
    </Form>
  );
}

function HideForm({ commentId, busy }: { commentId?: string; busy: boolean }) {
  return (
    <Form method="post">
      <input type="hidden" name="intent" value="hide" />
      {commentId ? <input type="hidden" name="commentId" value={commentId} /> : null}
      <Textarea label="隐藏理由（会告知作者）" name="reason" autosize minRows={2} maxLength={200} required />
      <Button type="submit" mt="xs" color="red" loading={busy}>
        隐藏
      </Button>
    </Form>
  );
}

function CommentView({
  comment: c,
  now,
  viewer,
  busy,
  editing,
}: {
  comment: Comment;
  now: string;
  viewer: { signedIn: boolean; userId: string | null; isStaff: boolean };
  busy: boolean;
  editing: boolean;
}) {
  const editable = viewer.userId !== null && !c.hidden && canEditComment({ createdAt: new Date(c.createdAt), authorId: c.isOwn ? viewer.userId : "", deleted: c.deleted }, viewer.userId, new Date(now));
  return (
    <Stack gap={4}>
      <Text size="sm" c="dimmed">
        {c.authorName} · {formatDateTime(c.createdAt)}
        {c.editedAt ? "（已编辑）" : ""}
      </Text>
      {c.deleted ? (
        <Text c="dimmed">评论已删除</Text>
      ) : c.hidden ? (
        <Text c="dimmed">
          已被隐藏：{c.hiddenReason}
          {viewer.isStaff && c.body ? `（原文：${c.body}）` : ""}
        </Text>
      ) : editing && editable ? (
        <Form method="post">
          <input type="hidden" name="intent" value="editComment" />
          <input type="hidden" name="commentId" value={c.id} />
          <Textarea label="修改评论" name="body" defaultValue={c.body} autosize minRows={2} maxLength={1000} required />
          <Button type="submit" mt="xs" size="sm" loading={busy}>
            保存修改
          </Button>
        </Form>
      ) : (
        <Text style={{ whiteSpace: "pre-wrap" }}>{c.body}</Text>
      )}
      {!c.deleted && !c.hidden && viewer.signedIn ? (
        <Group gap="xs">
          {editable && !editing ? (
            <Button component={Link} to={`?edit=${c.id}#c-${c.id}`} variant="subtle" size="sm" aria-label="修改这条评论">
              修改
            </Button>
          ) : null}
          {c.isOwn ? (
            <Form method="post">
              <input type="hidden" name="intent" value="deleteComment" />
              <input type="hidden" name="commentId" value={c.id} />
              <Button type="submit" variant="subtle" color="red" size="sm" aria-label="删除这条评论">
                删除
              </Button>
            </Form>
          ) : (
            <Disclosure summary="举报">
              <ReportForm commentId={c.id} busy={busy} />
            </Disclosure>
          )}
          {viewer.isStaff ? (
            <Disclosure summary="隐藏">
              <HideForm commentId={c.id} busy={busy} />
            </Disclosure>
          ) : null}
        </Group>
      ) : null}
    </Stack>
  );
}
