import { Button, Paper, Stack, Text, Title } from "@mantine/core";
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { FormErrorSummary } from "../components/FormErrorSummary";
import { OrganisationFields } from "../components/OrganisationFields";
import { districtOptions, registerOrganisation } from "../domain/organisations/organisations.server";
import { ORGANISATION_ARRAY_FIELDS, organisationSchema } from "../domain/organisations/schema";
import { parseForm } from "../lib/form";
import { auditContext, requireUser } from "../platform/auth.server";
import { getDb } from "../platform/db.server";
import { domainErrorResponse, formValues, invalid } from "../platform/http.server";

export const meta: MetaFunction = () => [{ title: "登记社会组织 · 邻里守望" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireUser(request, context);
  return { districts: await districtOptions(getDb()) };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const actor = await requireUser(request, context);
  const form = await request.formData();
  const parsed = parseForm(organisationSchema, form, ORGANISATION_ARRAY_FIELDS);
  if (!parsed.ok) return invalid({ fieldErrors: parsed.fieldErrors, formError: parsed.formError, values: parsed.values });
  try {
    const org = await getDb()
      .transaction()
      .execute((trx) => registerOrganisation(trx, auditContext(actor), parsed.data));
    return redirect(`/organisations/${org.id}/manage?registered=1`);
  } catch (e) {
    return domainErrorResponse(e, { ...formValues(form), serviceAreas: form.getAll("serviceAreas").map(String) });
  }
}

export default function NewOrganisation() {
  const { districts } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  return (
    <Stack maw={760} mx="auto" gap="md">
      <Title order={1}>登记社会组织</Title>
      <Text>
        填写组织的登记信息。提交后由组织所在区县的民政局工作人员查验，查验通过后即可申报招贤榜项目。登记人自动成为本组织的负责人。
      </Text>
      <Paper withBorder p="lg">
        <Form method="post" noValidate>
          <Stack>
            <FormErrorSummary formError={result?.formError} fieldErrors={result?.fieldErrors} />
            <OrganisationFields values={result?.values ?? {}} errors={result?.fieldErrors} districts={districts} />
            <Button type="submit" size="lg" loading={busy}>
              提交登记
            </Button>
          </Stack>
        </Form>
      </Paper>
    </Stack>
  );
}
