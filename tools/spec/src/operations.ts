// What a spec's operations are: their methods and paths, parameters and security schemes. JSON
// pointers and `$ref`s are pointers.ts's; request and response bodies bodies.ts's.
import type {
  OpenAPI3,
  OperationObject,
  ParameterObject,
  ReferenceObject,
  SecuritySchemeObject,
} from "openapi-typescript";
import { concretePointer, jsonPointer, resolveRef } from "./pointers.ts";

export const httpMethods = ["get", "put", "post", "delete", "options", "head", "patch", "trace"] as const;
export type HttpMethod = (typeof httpMethods)[number];

export interface Operation {
  /** The operationId (required by the lint rules). */
  id: string;
  method: HttpMethod;
  /** The path template, e.g. `/v1/orgs/{org_id}/properties`. */
  path: string;
  /** JSON pointer of the operation object in the spec. */
  pointer: string;
  object: OperationObject;
}

/** Every operation of the spec, in document order. */
export function operationsOf(document: OpenAPI3): Operation[] {
  return Object.entries(document.paths ?? {}).flatMap(([path, pathItemOrRef]) => {
    const pathItem = resolveRef(document, pathItemOrRef);
    return httpMethods.flatMap((method) => {
      const object = pathItem[method] && resolveRef(document, pathItem[method]);
      if (!object) return [];
      return [
        {
          id: object.operationId ?? `${method} ${path}`,
          method,
          path,
          pointer: jsonPointer("paths", path, method),
          object,
        },
      ];
    });
  });
}

/** A parameter of an operation, as `parametersOf` finds it. */
export interface ParameterSpec {
  /** The parameter object, `$ref` resolved. */
  object: ParameterObject;
  /** Where that object is in the document, `$ref`s followed (a path item's or an operation's list, or components). */
  pointer: string;
  /** Where its schema is: under `schema`, else under its one `content` media type. */
  schemaPointer: string;
}

/** Header parameters OpenAPI says to ignore: the request body, the answer's media types and security say these. */
const ignoredHeaders = new Set(["accept", "content-type", "authorization"]);

/** Whether OpenAPI says to ignore a header parameter of this name (`Accept`, `Content-Type`, `Authorization`). */
export const isIgnoredHeader = (name: string) => ignoredHeaders.has(name.toLowerCase());

/**
 * The operation's effective parameters, `$ref`s resolved: the path item's first, each in place
 * unless the operation declares one of the same name and location, then the operation's own, in
 * the order the spec writes them; without the headers OpenAPI ignores (`Accept`, `Content-Type`,
 * `Authorization`).
 */
export function parametersOf(document: OpenAPI3, operation: Operation): ParameterSpec[] {
  const declared = (owner: string, list: (ParameterObject | ReferenceObject)[] | undefined) =>
    (list ?? []).map((parameter, index) => {
      const written = `${owner}${jsonPointer("parameters", index)}`;
      const pointer = concretePointer(document, written) ?? written;
      const object = resolveRef(document, parameter);
      const [mediaType] = Object.keys(object.content ?? {});
      const schemaAt = mediaType === undefined ? ["schema"] : ["content", mediaType, "schema"];
      return { object, pointer, schemaPointer: `${pointer}${jsonPointer(...schemaAt)}` };
    });
  const pathItem = resolveRef(document, document.paths?.[operation.path] ?? {});
  const own = declared(operation.pointer, operation.object.parameters);
  const key = ({ object }: ParameterSpec) => `${object.in} ${object.name}`;
  const overridden = new Set(own.map(key));
  const shared = declared(jsonPointer("paths", operation.path), pathItem.parameters);
  return [...shared.filter((parameter) => !overridden.has(key(parameter))), ...own].filter(
    ({ object }) => !(object.in === "header" && isIgnoredHeader(object.name)),
  );
}

/** A security scheme an operation accepts, by its name under `components.securitySchemes`. */
export interface NamedSecurityScheme {
  name: string;
  scheme: SecuritySchemeObject;
}

/** The operation's security requirements: its own `security`, else the document's. */
const requirementsOf = (document: OpenAPI3, operation: Operation) =>
  operation.object.security ?? document.security ?? [];

const schemeNamed = (document: OpenAPI3, name: string): NamedSecurityScheme => {
  const scheme = document.components?.securitySchemes?.[name];
  if (scheme === undefined) throw new Error(`No security scheme ${name} under components.securitySchemes`);
  return { name, scheme: resolveRef(document, scheme) };
};

/** Every security scheme the operation's requirements name, each once, in the order they are named. */
export function securitySchemesOf(document: OpenAPI3, operation: Operation): NamedSecurityScheme[] {
  const names = new Set(requirementsOf(document, operation).flatMap((requirement) => Object.keys(requirement)));
  return [...names].map((name) => schemeNamed(document, name));
}

/** A `{name}` in a path template. */
const pathVariable = /\{([^}]+)\}/g;

/** The path template with each `{name}` set to its value, percent-encoded so that it stays in its segment (the name itself when it has none). */
export function fillPath(template: string, values: Record<string, string>): string {
  return template.replaceAll(pathVariable, (_match, name: string) => encodeURIComponent(values[name] ?? name));
}

// Which operation a request goes to is client-core's routing (the MSW handlers route with it), passed
// on to the tools that route (the mock's server, verify); from its source, as media.ts.
export { type Routable, type Routed, routerOf, templateSent } from "../../../packages/client-core/src/routes.ts";
