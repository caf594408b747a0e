import { Alert, Anchor, Button, Code, Image, List, Stack, Text, TextInput } from "@mantine/core";
import { Link } from "@remix-run/react";

/** The code field: numeric keyboard on phones, and the browser may fill it from an SMS/app. */
export function TotpCodeField({ error, label = "验证码" }: { error?: string; label?: string }) {
  return (
    <TextInput
      label={label}
      description="验证器应用中显示的 6 位数字，每 30 秒更新"
      name="code"
      inputMode="numeric"
      autoComplete="one-time-code"
      pattern="[0-9 ]*"
      maxLength={7}
      required
      error={error}
      styles={{ input: { fontSize: 22, letterSpacing: 4, minHeight: 48 } }}
    />
  );
}

/** The QR code and the same secret as text, for an authenticator app. */
export function EnrolmentInstructions({ qr, secret, uri }: { qr: string; secret: string; uri: string }) {
  return (
    <Stack gap="sm">
      <List type="ordered" spacing="xs">
        <List.Item>在手机上打开验证器应用（如 Microsoft Authenticator、Google 身份验证器、1Password 等）。</List.Item>
        <List.Item>扫描下面的二维码；无法扫描时，选择“手动输入密钥”并输入下方密钥。</List.Item>
        <List.Item>输入应用中显示的 6 位验证码，完成启用。</List.Item>
      </List>
      <Image src={qr} alt="两步验证二维码：用验证器应用扫描" w={200} h={200} fit="contain" />
      <Text size="sm">
        密钥（手动输入）：
        <Code data-testid="mfa-secret" fz="md">
          {secret}
        </Code>
      </Text>
      <Text size="xs" c="dimmed">
        发行方“邻里守望”，验证码 6 位、每 30 秒更新。
        <Anchor href={uri} size="xs" ml={4}>
          在本机的验证器应用中打开
        </Anchor>
      </Text>
    </Stack>
  );
}

/** Recovery codes, shown once right after they are made. */
export function RecoveryCodes({ codes, continueTo }: { codes: string[]; continueTo: string }) {
  return (
    <Stack>
      <Alert color="teal" title="两步验证已启用" role="status">
        请把下面 {codes.length} 个恢复码抄写或打印下来，妥善保管。手机丢失时，每个恢复码可以代替验证码登录一次。恢复码只显示这一次。
      </Alert>
      <List data-testid="recovery-codes" spacing={4} ff="monospace" fz="lg">
        {codes.map((c) => (
          <List.Item key={c}>{c}</List.Item>
        ))}
      </List>
      <Button component={Link} to={continueTo}>
        我已保存恢复码，继续
      </Button>
    </Stack>
  );
}
