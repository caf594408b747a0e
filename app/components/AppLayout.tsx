import { Badge, Burger } from "@mantine/core";
import { useDisclosure } from "@mantine/hooks";
import { Form, Link, useLocation } from "@remix-run/react";
import { useEffect, type ReactNode } from "react";
import type { RoleCode } from "../domain/accounts/roles";
import { LightButton } from "./LightButton";
import { currentNavItem, groupedNav, navFor } from "./nav";
import { Tag } from "./Tag";

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
      <LightButton type="submit" variant={elder ? "filled" : "default"} aria-pressed={elder} title={elder ? "关闭长辈模式" : "开启长辈模式：大字、大按钮"}>
        长辈模式
      </LightButton>
    </Form>
  );
}

/**
 * The page shell: header, grouped navigation (beside the page on wide screens, a panel from the
 * burger on phones) and the main region. Plain elements with app/styles/light.css rather than
 * Mantine's AppShell and NavLink: every page renders it (docs/performance.md).
 */
export function AppLayout({ user, elder, children }: { user: LayoutUser | null; elder: boolean; children: ReactNode }) {
  const [opened, { toggle, close }] = useDisclosure();
  const location = useLocation();
  const items = navFor(user !== null, user?.roles.map((r) => r.role) ?? []);
  const current = currentNavItem(items, location.pathname);
  const here = location.pathname + location.search;
  // A form in the menu (长辈模式, 退出) navigates without unmounting the shell: close it then too.
  useEffect(() => close(), [location.key, close]);

  return (
    <div className="shell">
      <a href="#main" className="skip-link">
        跳到主要内容
      </a>
      <header className="shell-header">
        <div className="row">
          <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="md" aria-label={opened ? "关闭导航菜单" : "打开导航菜单"} aria-expanded={opened} aria-controls="main-nav" />
          <Link to="/" className="shell-brand">
            <h2 className="shell-brand-title">邻里守望</h2>
          </Link>
        </div>
        {user ? (
          <div className="row">
            <div className="mantine-visible-from-sm">
              <ElderToggle elder={elder} redirectTo={here} />
            </div>
            <div className="shell-user mantine-visible-from-xs">
              <p className="text text-sm" style={{ fontWeight: 600 }} data-testid="current-user">
                {user.displayName}
              </p>
              {user.roles[0] ? (
                <p className="text text-dimmed" style={{ fontSize: "var(--mantine-font-size-xs)" }}>
                  {user.roles[0].label}
                  {user.roles[0].scope ? ` · ${user.roles[0].scope}` : ""}
                  {user.roles.length > 1 ? ` 等 ${user.roles.length} 个角色` : ""}
                </p>
              ) : null}
            </div>
            <LightButton
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
            </LightButton>
            <Form method="post" action="/logout">
              <LightButton type="submit" variant="default">
                退出
              </LightButton>
            </Form>
          </div>
        ) : (
          <div className="row">
            <div className="mantine-visible-from-sm">
              <ElderToggle elder={elder} redirectTo={here} />
            </div>
            <LightButton component={Link} to={`/login?redirectTo=${encodeURIComponent(here)}`} variant="default" px="sm">
              登录
            </LightButton>
            <LightButton component={Link} to="/register" variant="filled" px="sm">
              注册
            </LightButton>
          </div>
        )}
      </header>
      <nav className="shell-nav" id="main-nav" aria-label="主导航" data-open={opened ? "" : undefined}>
        <div className="mantine-hidden-from-sm" style={{ marginBottom: "var(--mantine-spacing-sm)" }}>
          <ElderToggle elder={elder} redirectTo={here} />
        </div>
        {user ? (
          <div className="nav-roles mantine-hidden-from-xs">
            <p className="text" style={{ fontWeight: 600 }}>
              {user.displayName}
            </p>
            {user.roles.map((r) => (
              <Tag key={`${r.role}-${r.scope}`}>
                {r.label}
                {r.scope ? ` · ${r.scope}` : ""}
              </Tag>
            ))}
          </div>
        ) : null}
        {groupedNav(items).map((g) => (
          <div key={g.group} className="nav-group">
            <p className="nav-group-title" id={`nav-${g.group}`}>
              {g.label}
            </p>
            <ul className="nav-list" aria-labelledby={`nav-${g.group}`}>
              {g.items.map((item) => (
                <li key={item.to}>
                  <Link to={item.to} className="nav-link" aria-current={item.to === current ? "page" : undefined} onClick={close}>
                    {item.label}
                  </Link>
                </li>
              ))}
            </ul>
          </div>
        ))}
      </nav>
      <main className="shell-main" id="main" tabIndex={-1}>
        {children}
      </main>
    </div>
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
