import { Alert, List } from "@mantine/core";
import { useEffect, useRef } from "react";

/**
 * Errors summarised at the top of a form and announced to screen readers (role=alert). Each time
 * a submission comes back with errors, focus moves to the summary, so a keyboard or screen-reader
 * user starts from the list of what to fix instead of the button they pressed.
 */
export function FormErrorSummary({ formError, fieldErrors }: { formError?: string; fieldErrors?: Record<string, string> }) {
  const fields = Object.values(fieldErrors ?? {});
  const ref = useRef<HTMLDivElement>(null);
  const signature = [formError ?? "", ...fields].join("\n");
  useEffect(() => {
    if (signature) ref.current?.focus();
  }, [signature, fieldErrors]);
  if (!formError && fields.length === 0) return null;
  return (
    <Alert ref={ref} tabIndex={-1} color="red" variant="light" title={formError ?? "请修改以下内容后再提交"} role="alert" aria-live="assertive" data-testid="form-error-summary">
      {fields.length > 0 ? (
        <List size="sm">
          {fields.map((m, i) => (
            <List.Item key={i}>{m}</List.Item>
          ))}
        </List>
      ) : null}
    </Alert>
  );
}
