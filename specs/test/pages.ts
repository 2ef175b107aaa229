/**
 * What each vendor page (../shared/seeds) documents, written down by hand on purpose: the
 * spec tests hold the specs to these facts, so a spec edit that drifts from its page fails.
 */
export interface DocumentedEndpoint {
  method: string;
  path: string;
  operationId: string;
  server: string;
  security: Record<string, string>;
  pathParameters: string[];
  /** Every response code the page documents. */
  responses: string[];
  /** Request bodies on and inside each documented bound, by the rule they show. */
  accepts: Record<string, unknown>;
  /** Request bodies just outside each documented bound. */
  rejects: Record<string, unknown>;
}

const text = (length: number) => "a".repeat(length);
const blandUpdates = (updates: unknown) => ({ updates });
const blandRetention = (days: unknown) => blandUpdates({ preferences: { recording_lifespan_days: days } });
const frontierFields = (body: unknown) => ({ body });

export const documented: Record<string, DocumentedEndpoint> = {
  "pipecat-cloud": {
    method: "patch",
    path: "/properties",
    operationId: "updateProperties",
    server: "https://api.pipecat.daily.co/v1",
    security: { type: "http", scheme: "bearer" },
    pathParameters: [],
    responses: ["200", "400", "401", "500"],
    accepts: {
      "defaultRegion alone": { defaultRegion: "eu-central" },
    },
    rejects: {
      "an empty update (No properties provided)": {},
      "an unknown property name": { invalidProp: "x" },
      "a non-string defaultRegion": { defaultRegion: 1 },
    },
  },
  bland: {
    method: "patch",
    path: "/v1/orgs/{org_id}/properties",
    operationId: "updateOrgProperties",
    server: "https://api.bland.ai",
    security: { type: "apiKey", in: "header", name: "authorization" },
    pathParameters: ["org_id"],
    responses: ["200"],
    accepts: {
      "org_display_name of 1 character": blandUpdates({ org_display_name: text(1) }),
      "org_display_name of 30 characters": blandUpdates({ org_display_name: text(30) }),
      "use_bland_url true": blandUpdates({ preferences: { use_bland_url: true } }),
      "recording_lifespan_days 1": blandRetention(1),
      "recording_lifespan_days 1825": blandRetention(1825),
      "recording_lifespan_days -1 (retention disabled)": blandRetention(-1),
    },
    rejects: {
      "no updates": {},
      "an empty updates object (nothing to update)": blandUpdates({}),
      "a key beside updates instead of inside it": { updates: { org_display_name: "Org Name" }, org_display_name: "x" },
      "org_display_name of 0 characters": blandUpdates({ org_display_name: "" }),
      "org_display_name of 31 characters": blandUpdates({ org_display_name: text(31) }),
      "recording_lifespan_days 0": blandRetention(0),
      "recording_lifespan_days 1826": blandRetention(1826),
      "recording_lifespan_days -2": blandRetention(-2),
      "recording_lifespan_days 1.5": blandRetention(1.5),
      "use_bland_url not a boolean": blandUpdates({ preferences: { use_bland_url: "yes" } }),
      "a key outside the valid keys of updates": blandUpdates({ org_plan: "enterprise" }),
      "a key outside the valid keys of preferences": blandUpdates({ preferences: { theme: "dark" } }),
    },
  },
  frontier: {
    method: "put",
    path: "/v1beta1/organizations/{id}",
    operationId: "updateOrganization",
    server: "https://{host}",
    security: { type: "http", scheme: "bearer" },
    pathParameters: ["id"],
    responses: ["200", "400", "401", "404", "409", "500"],
    accepts: {
      "a lowercase name with digits and hyphens": frontierFields({ name: "acme-corp-2" }),
      "a title alone": frontierFields({ title: "Acme Corporation" }),
      "an avatar URL": frontierFields({ avatar: "https://example.com/avatars/new-logo.png" }),
      "an empty avatar (removes it)": frontierFields({ avatar: "" }),
      "any metadata object": frontierFields({ metadata: { industry: "fintech", employees: 500 } }),
    },
    rejects: {
      "no body wrapper": {},
      "an empty body": frontierFields({}),
      "a field beside the body wrapper instead of inside it": { body: { title: "T" }, name: "x" },
      "a name with capitals": frontierFields({ name: "Acme" }),
      "a name with an underscore": frontierFields({ name: "acme_corp" }),
      "an empty name": frontierFields({ name: "" }),
      "an avatar that is not a URL": frontierFields({ avatar: "not a url" }),
      "metadata that is not an object": frontierFields({ metadata: "fintech" }),
      "a field the page does not list": frontierFields({ state: "disabled" }),
    },
  },
};
