import { Alert, List } from "@mantine/core";

/** Errors summarised at the top of a form and announced to screen readers. */
export function FormErrorSummary({ formError, fieldErrors }: { formError?: string; fieldErrors?: Record<string, string> }) {
  const fields = Object.values(fieldErrors ?? {});
  if (!formError && fields.length === 0) return null;
  return (
    <Alert color="red" variant="light" title={formError ?? "请修改以下内容后再提交"} role="alert" aria-live="assertive">
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
