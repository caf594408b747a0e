import { List, Text } from "@mantine/core";
import { Fragment } from "react";
import { parseMinutes, type Line } from "../lib/richtext";

function Spans({ line }: { line: Line }) {
  return (
    <>
      {line.map((s, i) => (s.bold ? <strong key={i}>{s.text}</strong> : <Fragment key={i}>{s.text}</Fragment>))}
    </>
  );
}

/** Renders markdown-lite text (lib/richtext.ts) as React elements: nothing is ever injected as HTML. */
export function RichText({ source }: { source: string }) {
  return (
    <div>
      {parseMinutes(source).map((b, i) =>
        b.type === "list" ? (
          <List key={i} mb="sm" withPadding>
            {b.items.map((item, j) => (
              <List.Item key={j}>
                <Spans line={item} />
              </List.Item>
            ))}
          </List>
        ) : (
          <Text key={i} mb="sm">
            {b.lines.map((l, j) => (
              <Fragment key={j}>
                {j > 0 ? <br /> : null}
                <Spans line={l} />
              </Fragment>
            ))}
          </Text>
        ),
      )}
    </div>
  );
}
