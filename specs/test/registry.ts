import { listApis, type RegisteredApi } from "@contracts/spec";
import { it } from "vitest";

/** Every API of the registry, house and vendor alike (see `RegisteredApi`). */
export const apis: RegisteredApi[] = await listApis();

/**
 * The specs written here: their entries in redocly.yaml have no `extends` of their own, so they are
 * held to the house style. A vendor's spec, registered as published with its own `extends`, is not
 * ours to hold to the vendor pages, to examples everywhere or to exact types in other generators.
 */
export const houseApis: RegisteredApi[] = apis.filter((api) => api.house);

/** The vendors' specs, which a house-only check leaves out. */
export const vendorApis: RegisteredApi[] = apis.filter((api) => !api.house);

/**
 * A skipped test, in a file of house-only checks, naming the vendors' specs the file's `check`
 * leaves out and why; nothing when the registry has none.
 */
export function itSkipsVendorSpecs(check: string): void {
  if (vendorApis.length === 0) return;
  it.skip(
    `${check}: skipped for ${vendorApis.map((api) => api.id).join(", ")}, vendors' specs as published ` +
      "(their redocly.yaml entries have their own `extends`), held to their own lint rules, not the house's checks",
  );
}
