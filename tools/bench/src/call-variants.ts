// The same PATCH made three ways, with a stubbed fetch (as openapi-fetch's own benchmark does),
// shared by the Vitest bench (bench/calls.bench.ts) and the instruction count (src/call-instructions.ts).

import { createClient, type paths } from "@contracts/bland";
import createFetchClient from "openapi-fetch";

const baseUrl = "https://api.bland.ai";
const answer = JSON.stringify({ data: { id: "org-1" }, errors: null });
const stubFetch = async (_request: Request) =>
  new Response(answer, { status: 200, headers: { "content-type": "application/json" } });
const body = { updates: { org_display_name: "Org Name" } };

const generated = createClient({ apiKey: "key", baseUrl, fetch: stubFetch });
// The same request by hand: openapi-fetch with the key as a static header.
const bare = createFetchClient<paths>({ baseUrl, fetch: stubFetch, headers: { authorization: "key" } });

export const callVariants = {
  "generated method": () => generated.updateOrgProperties({ params: { path: { org_id: "org-1" } }, body }),
  "bare openapi-fetch call": () =>
    bare.PATCH("/v1/orgs/{org_id}/properties", { params: { path: { org_id: "org-1" } }, body }),
  "raw fetch": async () => {
    const request = new Request(`${baseUrl}/v1/orgs/${encodeURIComponent("org-1")}/properties`, {
      method: "PATCH",
      headers: { authorization: "key", "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    return (await stubFetch(request)).json();
  },
};

export type CallVariant = keyof typeof callVariants;
