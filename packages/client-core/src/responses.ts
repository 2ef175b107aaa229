// Which documented response answers a status: asked by the client's response checks, both mocks,
// the cases, verify and the test kit, so that all of them read a spec's `responses` alike.

/**
 * The key of the documented response a status falls under: the exact code, then its range
 * (`4XX`, written in any case), then `default`; undefined when none covers it.
 */
export function documentedStatus(documented: readonly string[], status: number): string | undefined {
  const code = String(status);
  return (
    documented.find((key) => key === code) ??
    documented.find((key) => key.toUpperCase() === `${code[0]}XX`) ??
    documented.find((key) => key === "default")
  );
}

/** The documented response a status falls under (see `documentedStatus`). */
export function responseForStatus<Response extends { status: string }>(
  responses: readonly Response[],
  status: number,
): Response | undefined {
  const key = documentedStatus(
    responses.map((response) => response.status),
    status,
  );
  return responses.find((response) => response.status === key);
}
