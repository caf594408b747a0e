import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

/**
 * Every page whose own action validates a form shows the errors at the top with FormErrorSummary
 * (role=alert, focused on arrival; tests/e2e/keyboard.spec.ts checks it in a browser). A form that
 * posts to another route (action="/…") is that route's business; a shared component's form is
 * the business of the page that renders it (and is found through the page's own form, if any).
 */
const FIELD = /<(TextInput|Textarea|NativeSelect|PasswordInput|Select|NumberInput|Radio\.Group|Checkbox|DateInput)\b/;
const OWN_POST_FORM = /<Form\s+method="post"(?![^>]*\saction="\/)/;

function files(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith(".tsx"))
    .map((f) => join(dir, f));
}

describe("forms summarise their errors", () => {
  const candidates = files("app/routes").filter((f) => {
    const src = readFileSync(f, "utf8");
    return OWN_POST_FORM.test(src) && FIELD.test(src);
  });

  it("finds the portal's forms", () => {
    expect(candidates).toContain("app/routes/issues.new.tsx");
    expect(candidates.length).toBeGreaterThan(20);
  });

  it("every page with a form of its own renders FormErrorSummary", () => {
    const missing = candidates.filter((f) => !readFileSync(f, "utf8").includes("<FormErrorSummary"));
    expect(missing).toEqual([]);
  });
});
