// From client-core's source, not its build: generation runs before client-core is built (a fresh
// copy of the repository, `npm start` on a clone), and this module imports nothing.
import { clientDefaults } from "../../../packages/client-core/src/defaults.ts";

// client-core's defaults as the generated docs state them: read from what it exports, never copied.

/** `60 000 ms`: milliseconds with a space between thousands, as the docs write them. */
const milliseconds = (value: number) => `${String(value).replace(/\B(?=(\d{3})+$)/g, " ")} ms`;
/** `0.5 s`, `8 s`. */
const seconds = (value: number) => `${value / 1000} s`;

const { backoff } = clientDefaults;

export const defaultsText = {
  timeout: milliseconds(clientDefaults.timeout),
  maxRetries: String(clientDefaults.maxRetries),
  /** `408, 409, 429 or 5xx` */
  retriedStatuses: `${clientDefaults.retriedStatuses.join(", ")} or ${String(clientDefaults.retriedFrom)[0]}xx`,
  backoff: `exponential backoff from ${seconds(backoff.initialMs)} to ${seconds(backoff.maxMs)} with up to ${backoff.jitter * 100}% jitter`,
};
