/** A one-operation API, as openapi-typescript would emit it, for the runtime tests. */
export interface TestPaths {
  "/things/{id}": {
    parameters: { query?: never; header?: never; path?: never; cookie?: never };
    patch: {
      parameters: { query?: never; header?: never; path: { id: string }; cookie?: never };
      requestBody: { content: { "application/json": { name: string } } };
      responses: {
        200: { headers: Record<string, unknown>; content: { "application/json": { name: string } } };
        400: { headers: Record<string, unknown>; content: { "application/json": { message: string } } };
        404: { headers: Record<string, unknown>; content: { "application/json": { missing: string } } };
      };
    };
  };
}
