import { Checkbox, Fieldset, NativeSelect, SimpleGrid, Stack, Text, Textarea, TextInput } from "@mantine/core";
import { ISSUE_CATEGORIES, ORGANISATION_TYPES } from "../domain/vocabulary";

export type OrganisationFormValues = Partial<Record<string, string | string[]>>;

interface Props {
  values: OrganisationFormValues;
  errors?: Record<string, string>;
  districts: Array<{ value: string; label: string }>;
  /** Verified organisations cannot change what the registration certificate says. */
  identityLocked?: boolean;
}

const str = (v: string | string[] | undefined) => (typeof v === "string" ? v : "");

/** The organisation profile fields, shared by registration and editing. Plain inputs: works without JavaScript. */
export function OrganisationFields({ values, errors = {}, districts, identityLocked = false }: Props) {
  const areas = Array.isArray(values.serviceAreas) ? values.serviceAreas : [];
  return (
    <Stack>
      {identityLocked ? (
        <Fieldset legend="登记信息（已查验，不能修改）">
          {(["name", "uscc", "type", "registeringBureau", "placeId"] as const).map((k) => (
            <input key={k} type="hidden" name={k} value={str(values[k])} />
          ))}
          <Text>组织名称：{str(values.name)}</Text>
          <Text>统一社会信用代码：{str(values.uscc)}</Text>
          <Text>组织类型：{str(values.type)}</Text>
          <Text>登记管理机关：{str(values.registeringBureau)}</Text>
          <Text>所在区县：{districts.find((d) => d.value === str(values.placeId))?.label ?? ""}</Text>
        </Fieldset>
      ) : (
        <>
          <TextInput size="lg" label="组织名称" name="name" required defaultValue={str(values.name)} error={errors.name} description="与登记证书上的名称一致" />
          <TextInput
            size="lg"
            label="统一社会信用代码"
            name="uscc"
            required
            maxLength={22}
            autoCapitalize="characters"
            spellCheck={false}
            defaultValue={str(values.uscc)}
            error={errors.uscc}
            description="18 位，见登记证书；系统会核对最后一位校验码"
          />
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <NativeSelect
              size="lg"
              label="组织类型"
              name="type"
              required
              defaultValue={str(values.type)}
              error={errors.type}
              data={[{ value: "", label: "请选择" }, ...ORGANISATION_TYPES]}
            />
            <NativeSelect
              size="lg"
              label="所在区县"
              name="placeId"
              required
              defaultValue={str(values.placeId)}
              error={errors.placeId}
              data={[{ value: "", label: "请选择" }, ...districts]}
            />
          </SimpleGrid>
          <TextInput
            size="lg"
            label="登记管理机关"
            name="registeringBureau"
            required
            defaultValue={str(values.registeringBureau)}
            error={errors.registeringBureau}
            description="例如“南昌市民政局”“青云谱区民政局”"
          />
        </>
      )}
      <TextInput size="lg" label="办公地址" name="address" required defaultValue={str(values.address)} error={errors.address} />
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <TextInput size="lg" label="联系人" name="contactPerson" required defaultValue={str(values.contactPerson)} error={errors.contactPerson} />
        <TextInput
          size="lg"
          label="联系电话"
          name="contactPhone"
          type="tel"
          inputMode="numeric"
          required
          defaultValue={str(values.contactPhone)}
          error={errors.contactPhone}
          description="11 位手机号码"
        />
      </SimpleGrid>
      <Fieldset legend="服务领域（可多选）" aria-describedby={errors.serviceAreas ? "service-areas-error" : undefined}>
        <SimpleGrid cols={{ base: 2, sm: 3 }} spacing={0}>
          {ISSUE_CATEGORIES.map((c) => (
            <Checkbox key={c} size="md" name="serviceAreas" value={c} label={c} defaultChecked={areas.includes(c)} styles={{ root: { minHeight: 48, display: "flex", alignItems: "center" } }} />
          ))}
        </SimpleGrid>
        {errors.serviceAreas ? (
          <Text c="red.8" size="sm" id="service-areas-error">
            {errors.serviceAreas}
          </Text>
        ) : null}
      </Fieldset>
      <Textarea
        size="lg"
        label="组织简介"
        name="introduction"
        required
        autosize
        minRows={4}
        defaultValue={str(values.introduction)}
        error={errors.introduction}
        description="20–1000 字：宗旨、主要服务、服务对象和过往项目"
      />
    </Stack>
  );
}
