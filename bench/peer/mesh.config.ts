/**
 * The peer for bench/gateway_bench.py: what a team would compose off the shelf instead of writing a
 * gateway. Mesh turns each service's OpenAPI document into a subgraph (types and root fields
 * prefixed with the service's name, since every service has its own Page_/HTTPValidationError
 * types and /healthz), and the links between services are declared with @resolveTo.
 *
 * Ids are sent comma-separated (`?ids=a,b,c`, the services' batch-read form), so Activity.host
 * can be one batched registry call per request instead of one call per activity.
 */
import { createPrefixTransform, defineConfig } from '@graphql-mesh/compose-cli'
import { loadOpenAPISubgraph } from '@omnigraph/openapi'

const SERVICES: Record<string, string> = {
  registry: '8101',
  volunteering: '8102',
  education: '8103',
  employment: '8104',
}

const urlOf = (name: string) =>
  process.env[`QINGCHUN_${name.toUpperCase()}_URL`] ?? `http://127.0.0.1:${SERVICES[name]}`

const page = (service: string, item: string) => `${service}_Page_LEFT_SQUARE_BRACE_${item}_RIGHT_SQUARE_BRACE_`

const links = /* GraphQL */ `
  extend type registry_OrganizationOut {
    parent: registry_OrganizationOut
      @resolveTo(
        sourceName: "registry"
        sourceTypeName: "Query"
        sourceFieldName: "registry_get_organization_v1_organizations__organization_id__get"
        requiredSelectionSet: "{ parent_id { String } }"
        sourceArgs: { organization_id: "{root.parent_id.String}" }
      )
    activities(first: Int = 20): ${page('volunteering', 'ActivityOut')}
      @resolveTo(
        sourceName: "volunteering"
        sourceTypeName: "Query"
        sourceFieldName: "volunteering_list_activities_v1_activities_get"
        requiredSelectionSet: "{ id }"
        sourceArgs: { host_organization_id: "{root.id}", limit: "{args.first}" }
      )
    teams(first: Int = 20): ${page('volunteering', 'TeamOut')}
      @resolveTo(
        sourceName: "volunteering"
        sourceTypeName: "Query"
        sourceFieldName: "volunteering_list_teams_v1_teams_get"
        requiredSelectionSet: "{ id }"
        sourceArgs: { host_organization_id: "{root.id}", limit: "{args.first}" }
      )
    programmes(first: Int = 20): ${page('education', 'ProgrammeOut')}
      @resolveTo(
        sourceName: "education"
        sourceTypeName: "Query"
        sourceFieldName: "education_list_programmes_v1_programmes_get"
        requiredSelectionSet: "{ id }"
        sourceArgs: { owner_organization_id: "{root.id}", limit: "{args.first}" }
      )
    postings(first: Int = 20): ${page('employment', 'PostingOut')}
      @resolveTo(
        sourceName: "employment"
        sourceTypeName: "Query"
        sourceFieldName: "employment_list_postings_v1_postings_get"
        requiredSelectionSet: "{ id }"
        sourceArgs: { employer_organization_id: "{root.id}", limit: "{args.first}" }
      )
  }

  extend type volunteering_ActivityOut {
    shifts: ${page('volunteering', 'ShiftOut')}
      @resolveTo(
        sourceName: "volunteering"
        sourceTypeName: "Query"
        sourceFieldName: "volunteering_activity_shifts_v1_activities__activity_id__shifts_get"
        requiredSelectionSet: "{ id }"
        sourceArgs: { activity_id: "{root.id}" }
      )
    host: registry_OrganizationOut
      @resolveTo(
        sourceName: "registry"
        sourceTypeName: "Query"
        sourceFieldName: "registry_list_organizations_v1_organizations_get"
        requiredSelectionSet: "{ host_organization_id }"
        keyField: "host_organization_id"
        keysArg: "ids"
        additionalArgs: { limit: 200 }
        result: "items"
      )
  }

  extend type education_ProgrammeOut {
    courses(first: Int = 20): ${page('education', 'CourseOut')}
      @resolveTo(
        sourceName: "education"
        sourceTypeName: "Query"
        sourceFieldName: "education_list_courses_v1_courses_get"
        requiredSelectionSet: "{ id }"
        sourceArgs: { programme_id: "{root.id}", limit: "{args.first}" }
      )
  }
`

export const composeConfig = defineConfig({
  subgraphs: Object.keys(SERVICES).map(name => ({
    sourceHandler: loadOpenAPISubgraph(name, {
      source: `${urlOf(name)}/openapi.json`,
      endpoint: urlOf(name),
      queryStringOptions: { arrayFormat: 'comma' },
      ignoreErrorResponses: true,
    }),
    transforms: [createPrefixTransform({ value: `${name}_`, includeRootOperations: true })],
  })),
  additionalTypeDefs: links,
})
