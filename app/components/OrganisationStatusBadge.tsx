import { Badge } from "@mantine/core";
import type { OrganisationStatus } from "../../db/schema";
import { ORG_STATUS_LABELS } from "../domain/organisations/rules";

const COLORS: Record<OrganisationStatus, string> = { verified: "teal", pending: "yellow", returned: "red" };

/** 已查验 / 待查验 / 已退回, in colour and in words (colour alone tells nothing to a screen reader). */
export function OrganisationStatusBadge({ status, size = "lg" }: { status: OrganisationStatus; size?: "md" | "lg" | "xl" }) {
  return (
    <Badge color={COLORS[status]} variant={status === "verified" ? "filled" : "light"} size={size} radius="sm" data-testid="organisation-status">
      {status === "verified" ? "✓ " : ""}
      {ORG_STATUS_LABELS[status]}
    </Badge>
  );
}
