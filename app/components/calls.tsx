import { Badge } from "@mantine/core";
import { CALL_PHASE_LABELS, type CallPhase } from "../domain/calls/rules";

const PHASE_COLORS: Record<CallPhase, string> = { draft: "gray", upcoming: "blue", open: "orange", closed: "teal", withdrawn: "red" };

export function CallPhaseBadge({ phase }: { phase: CallPhase }) {
  return (
    <Badge color={PHASE_COLORS[phase]} variant="light" size="lg" radius="sm" data-testid="call-phase">
      {CALL_PHASE_LABELS[phase]}
    </Badge>
  );
}
