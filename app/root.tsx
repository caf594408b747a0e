import "@mantine/core/styles.css";
import "./styles/global.css";
import "./styles/light.css";
import { Button, ColorSchemeScript, Container, MantineProvider, Stack, Text, Title, mantineHtmlProps } from "@mantine/core";
import { cssBundleHref } from "@remix-run/css-bundle";
import { data, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, Links, Meta, Outlet, Scripts, ScrollRestoration, isRouteErrorResponse, useRouteError, useRouteLoaderData } from "@remix-run/react";
import type { ReactNode } from "react";
import { AppLayout, type LayoutUser } from "./components/AppLayout";
import { useNonce } from "./components/nonce";
import { ROLE_LABELS } from "./domain/accounts/roles";
import { unreadCount } from "./domain/notifications/notifications.server";
import { getActor } from "./platform/auth.server";
import { getDb } from "./platform/db.server";
import { elderMode } from "./platform/preferences.server";
import { elderTheme, theme } from "./theme";
import { themeCssHref } from "./components/theme-css";

export const links: LinksFunction = () => (cssBundleHref ? [{ rel: "stylesheet", href: cssBundleHref }] : []);

export const meta: MetaFunction = () => [
  { title: "邻里守望 · 社区协商与微创投平台" },
  { name: "description", content: "需求由群众提出、过程有群众参与、成效由群众评价" },
];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const actor = await getActor(request, context);
  let user: LayoutUser | null = null;
  if (actor.user) {
    user = {
      displayName: actor.user.displayName,
      unread: await unreadCount(getDb(), actor.user.id),
      roles: actor.roles.map((r) => ({ role: r.role, label: ROLE_LABELS[r.role], scope: r.placeName ?? r.organisationName ?? null })),
    };
  }
  const elder = elderMode(request, actor.elderMode);
  return data({ user, elder }, actor.refreshCookie ? { headers: { "Set-Cookie": actor.refreshCookie } } : undefined);
}

export function Layout({ children }: { children: ReactNode }) {
  const nonce = useNonce();
  const elder = useRouteLoaderData<typeof loader>("root")?.elder ?? false;
  return (
    <html lang="zh-CN" {...mantineHtmlProps} data-elder={elder ? "" : undefined}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
        <ColorSchemeScript defaultColorScheme="light" nonce={nonce} />
        <link rel="stylesheet" href={elder ? themeCssHref("elder", elderTheme) : themeCssHref("normal", theme)} />
      </head>
      <body>
        <MantineProvider theme={elder ? elderTheme : theme} defaultColorScheme="light" getStyleNonce={() => nonce} withCssVariables={false}>
          {children}
        </MantineProvider>
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

export default function App() {
  const { user, elder } = useRouteLoaderData<typeof loader>("root") ?? { user: null, elder: false };
  return (
    <AppLayout user={user} elder={elder}>
      <Outlet />
    </AppLayout>
  );
}

const ERROR_TEXT: Record<number, { title: string; body: string }> = {
  400: { title: "请求有误", body: "提交的内容无法处理，请检查后重试。" },
  401: { title: "请先登录", body: "此页面需要登录后查看。" },
  403: { title: "没有权限", body: "您没有权限访问此页面或进行此操作。如需开通，请联系管理员。" },
  404: { title: "页面不存在", body: "您要找的页面不存在，可能已被删除或地址有误。" },
  429: { title: "操作过于频繁", body: "请稍后再试。" },
  503: { title: "服务暂时不可用", body: "系统正在维护或数据库暂时无法连接，请稍后再试。" },
};

export function ErrorBoundary() {
  const error = useRouteError();
  const rootData = useRouteLoaderData<typeof loader>("root");
  const status = isRouteErrorResponse(error) ? error.status : 500;
  const text = ERROR_TEXT[status] ?? { title: "系统出错了", body: "服务器处理请求时出现问题，我们已记录此错误。请稍后再试。" };
  const detail = isRouteErrorResponse(error) && typeof error.data === "string" && status < 500 ? error.data : null;
  if (!isRouteErrorResponse(error) && process.env.NODE_ENV !== "production") console.error(error);
  return (
    <AppLayout user={rootData?.user ?? null} elder={rootData?.elder ?? false}>
      <Container size="sm" py="xl">
        <Stack gap="md">
          <Text c="dimmed" fw={700}>
            错误 {status}
          </Text>
          <Title order={1}>{text.title}</Title>
          <Text size="lg">{detail && detail !== text.body ? detail : text.body}</Text>
          <div>
            <Button component={Link} to="/">
              返回首页
            </Button>
          </div>
        </Stack>
      </Container>
    </AppLayout>
  );
}
