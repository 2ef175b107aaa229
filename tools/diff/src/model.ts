export const impacts = ["patch", "minor", "major"] as const;
/** The semver bump a change needs. */
export type Impact = (typeof impacts)[number];

export interface Change {
  impact: Impact;
  /**
   * `wire`: what goes over HTTP (redocly diff); `client`: what the generated client package
   * exports; `client-core`: what client-core exports, and what that does to the generated clients.
   */
  source: "wire" | "client" | "client-core";
  /** `PATCH /v1/orgs/{org_id}/properties`, when the change is inside one operation. */
  operation?: string;
  /** JSON pointer in the spec (wire), or the export of the package (client, client-core). */
  pointer: string;
  message: string;
  /** `file:line` in the new spec (in the base, `<commit>:file:line`, for what was removed). */
  location?: string;
}

/** The larger of two impacts. */
export function maxImpact(a: Impact | undefined, b: Impact): Impact {
  return a === undefined || impacts.indexOf(b) > impacts.indexOf(a) ? b : a;
}
