import { Anchor, AppShell, Badge, Box, Burger, Button, Group, NavLink, Stack, Text, Title } from "@mantine/core";
import { useDisclosure } from "@mantine/hooks";
import { Form, Link, useLocation } from "@remix-run/react";
import { useEffect, type ReactNode } from "react";
import type { RoleCode } from "../domain/accounts/roles";
import { navFor } from "./nav";

export interface LayoutUser {
  displayName: string;
  /** Unread portal notifications, for the bell. */
  unread: number;
  roles: Array<{ role: RoleCode; label: string; scope: string | null }>;
}

function ElderToggle({ elder, redirectTo }: { elder: boolean; redirectTo: string }) {
  return (
    <Form method="post" action="/preferences">
      <input type="hidden" name="elder" value={elder ? "off" : "on"} />
      <input type="hidden" name="redirectTo" value={redirectTo} />
      <Button type="submit" variant={elder ? "filled" : "default"} aria-pressed={elder} title={elder ? "关闭长辈模式" : "开启长辈模式：大字、大按钮"}>
        长辈模式
      </Button>
    </Form>
  );
}

export function AppLayout({ user, elder, children }: { user: LayoutUser | null; elder: boolean; children: ReactNode }) {
  const [opened, { toggle, close }] = useDisclosure();
  const location = useLocation();
  const items = navFor(user !== null, user?.roles.map((r) => r.role) ?? []);
  const here = location.pathname + location.search;
  // A form in the menu (长辈模式, 退出) navigates without unmounting the shell: close it then too.
  useEffect(() => close(), [location.key, close]);

  return (
    <AppShell header={{ height: elder ? 76 : 64 }} navbar={{ width: 240, breakpoint: "sm", collapsed: { mobile: !opened } }} padding="md">
      <a href="#main" className="skip-link">
        跳到主要内容
      </a>
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="md" aria-label={opened ? "关闭导航菜单" : "打开导航菜单"} />
            <Anchor component={Link} to="/" underline="never" c="inherit">
              <Title order={2} size="h3" style={{ whiteSpace: "nowrap" }}>
                邻里守望
              </Title>
            </Anchor>
          </Group>
          {user ? (
            <Group gap="xs" wrap="nowrap">
              <Box visibleFrom="sm">
                <ElderToggle elder={elder} redirectTo={here} />
              </Box>
              <Stack gap={0} visibleFrom="xs" align="flex-end">
                <Text fw={600} size="sm" data-testid="current-user">
                  {user.displayName}
                </Text>
                {user.roles[0] ? (
                  <Text size="xs" c="dimmed">
                    {user.roles[0].label}
                    {user.roles[0].scope ? ` · ${user.roles[0].scope}` : ""}
                    {user.roles.length > 1 ? ` 等 ${user.roles.length} 个角色` : ""}
                  </Text>
                ) : null}
              </Stack>
              <Button
                component={Link}
                to="/notifications"
                variant="subtle"
                px="xs"
                aria-label={user.unread > 0 ? `消息，${user.unread} 条未读` : "消息"}
                leftSection={<BellIcon />}
                data-testid="bell"
              >
                {user.unread > 0 ? (
                  <Badge color="red" size="md" circle={user.unread < 10}>
                    {user.unread > 99 ? "99+" : user.unread}
                  </Badge>
                ) : null}
              </Button>
              <Form method="post" action="/logout">
                <Button type="submit" variant="default">
                  退出
                </Button>
              </Form>
            </Group>
          ) : (
            <Group gap="xs" wrap="nowrap">
              <Box visibleFrom="sm">
                <ElderToggle elder={elder} redirectTo={here} />
              </Box>
              <Button component={Link} to={`/login?redirectTo=${encodeURIComponent(here)}`} variant="default" px="sm">
                登录
              </Button>
              <Button component={Link} to="/register" px="sm">
                注册
              </Button>
            </Group>
          )}
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="sm" aria-label="主导航" style={{ overflowY: "auto" }}>
        <Box hiddenFrom="sm" mb="sm">
          <ElderToggle elder={elder} redirectTo={here} />
        </Box>
        {user ? (
          <Stack gap={4} mb="sm" hiddenFrom="xs">
            <Text fw={600}>{user.displayName}</Text>
            {user.roles.map((r) => (
              <Badge key={`${r.role}-${r.scope}`} variant="light" size="lg" radius="sm">
                {r.label}
                {r.scope ? ` · ${r.scope}` : ""}
              </Badge>
            ))}
          </Stack>
        ) : null}
        {items.map((item) => (
          <NavLink
            key={item.to}
            component={Link}
            to={item.to}
            label={item.label}
            active={item.to === "/" ? location.pathname === "/" : location.pathname.startsWith(item.to)}
            onClick={close}
            styles={{ root: { minHeight: 48 }, label: { fontSize: "var(--mantine-font-size-md)" } }}
          />
        ))}
      </AppShell.Navbar>
      <AppShell.Main id="main" tabIndex={-1}>
        {children}
      </AppShell.Main>
    </AppShell>
  );
}

function BellIcon() {
  return (
    <svg width="24" height="24" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" aria-hidden="true">
      <path d="M6 8a6 6 0 1 1 12 0c0 7 3 9 3 9H3s3-2 3-9" />
      <path d="M10.3 21a1.94 1.94 0 0 0 3.4 0" />
    </svg>
  );
}
