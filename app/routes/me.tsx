import { Alert, Badge, Button, Card, Group, Stack, Text, Title } from "@mantine/core";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { ResponsiveTable } from "../components/ResponsiveTable";
import { listRoleAssignments } from "../domain/accounts/accounts.server";
import { mfaRequired, mfaState } from "../domain/accounts/mfa.server";
import { ROLE_LABELS } from "../domain/accounts/roles";
import { formatDate } from "../lib/dates";
import { requireUser } from "../platform/auth.server";
import { getDb } from "../platform/db.server";

export const meta: MetaFunction = () => [{ title: "我的账户 · 邻里守望" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const actor = await requireUser(request, context, { allowMfaPending: true });
  const roles = await listRoleAssignments(getDb(), actor.user.id);
  const mfa = await mfaState(getDb(), actor.user.id);
  return {
    user: actor.user,
    mfa: { enabled: mfa.enabled, required: mfaRequired(actor.roles) },
    roles: roles.map((r) => ({ id: r.id, label: ROLE_LABELS[r.role], scope: r.placeName ?? r.organisationName ?? "全局", grantedAt: r.grantedAt })),
  };
}

export default function Me() {
  const { user, roles, mfa } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  return (
    <Stack maw={800} mx="auto" gap="lg">
      <Title order={1}>我的账户</Title>
      {params.get("welcome") ? (
        <Alert color="teal" title="注册成功" role="status">
          欢迎加入邻里守望。如果您是社区居民，下一步可以申请居民认证，之后就能为议题附议、报名圆桌会。
        </Alert>
      ) : null}
      <Card withBorder>
        <Group gap="xl">
          <div>
            <Text c="dimmed" size="sm">
              称呼
            </Text>
            <Text size="lg" fw={600}>
              {user.displayName}
            </Text>
          </div>
          <div>
            <Text c="dimmed" size="sm">
              手机号码
            </Text>
            <Text size="lg">{user.phone}</Text>
          </div>
        </Group>
      </Card>
      {params.get("password") === "changed" ? (
        <Alert color="teal" title="密码已修改" role="status">
          其他设备上的登录已全部退出。
        </Alert>
      ) : null}
      {mfa.required && !mfa.enabled ? (
        <Alert color="orange" title="请启用两步验证" role="status">
          您的账户有工作人员权限，启用两步验证之前不能使用其他功能。
          <Button component={Link} to="/me/mfa" size="sm" ml="sm">
            现在启用
          </Button>
        </Alert>
      ) : null}
      {params.get("mfa") === "off" ? (
        <Alert color="teal" title="两步验证已停用" role="status">
          登录时只需要密码。
        </Alert>
      ) : null}
      <Group>
        <Button component={Link} to="/me/password" variant="default">
          修改密码
        </Button>
        <Button component={Link} to="/me/mfa" variant="default">
          {mfa.enabled ? "两步验证（已启用）" : "设置两步验证"}
        </Button>
        <Form method="post" action="/logout">
          <input type="hidden" name="scope" value="everywhere" />
          <Button type="submit" variant="default" color="red">
            退出所有设备
          </Button>
        </Form>
      </Group>
      <section aria-labelledby="my-roles">
        <Title order={2} size="h3" id="my-roles" mb="sm">
          我的角色
        </Title>
        {roles.length === 0 ? (
          <Text c="dimmed">您目前是普通注册用户，可以浏览和评论。角色由管理员或社区工作者授予。</Text>
        ) : (
          <ResponsiveTable
            label="我的角色"
            rows={roles}
            rowKey={(r) => r.id}
            columns={[
              {
                header: "角色",
                cell: (r) => (
                  <Badge variant="light" size="lg" radius="sm">
                    {r.label}
                  </Badge>
                ),
              },
              { header: "范围", cell: (r) => r.scope },
              { header: "授予日期", cell: (r) => formatDate(r.grantedAt) },
            ]}
          />
        )}
      </section>
    </Stack>
  );
}
