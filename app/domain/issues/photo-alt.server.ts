import { audit, type AuditContext } from "../../platform/audit.server";
import type { Executor } from "../../platform/db.server";
import { DomainError } from "../../platform/errors";

/**
 * The uploader rewrites what a screen reader reads for one of their photos ("5 栋门口台阶，没有灯");
 * an empty text returns to the default made from the issue title.
 */
export async function setPhotoAltText(db: Executor, ctx: AuditContext, userId: string, input: { issueId: string; photoId: string; altText?: string }): Promise<void> {
  const { issueId, photoId, altText } = input;
  const photo = await db
    .selectFrom("issue_photos as ph")
    .innerJoin("issues as i", "i.id", "ph.issue_id")
    .select(["ph.id", "ph.uploader_id", "ph.alt_text", "i.id as issueId", "i.place_id", "i.hidden_at"])
    .where("ph.id", "=", photoId)
    .where("ph.issue_id", "=", issueId)
    .executeTakeFirst();
  if (!photo || photo.hidden_at) throw new DomainError("not_found", "照片不存在");
  if (photo.uploader_id !== userId) throw new DomainError("forbidden", "只有上传照片的人才能修改照片说明");
  const next = altText?.trim() ? altText.trim() : null;
  if (next === photo.alt_text) return;
  await db.updateTable("issue_photos").set({ alt_text: next }).where("id", "=", photoId).execute();
  await audit(db, ctx, {
    action: "issue.photo.alt",
    entityType: "issue",
    entityId: photo.issueId,
    placeId: photo.place_id,
    summary: { photoId, before: photo.alt_text, after: next },
  });
}
