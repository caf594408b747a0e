import { Container, Paper, Title } from "@mantine/core";
import type { ReactNode } from "react";

/** The narrow card of the account pages (log-in, registration, password, re-authentication): a heading and its form. */
export function FormCard({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Container size={460} py="xl">
      <Paper withBorder p="lg">
        <Title order={1} size="h2" mb="md">
          {title}
        </Title>
        {children}
      </Paper>
    </Container>
  );
}
