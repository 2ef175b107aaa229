import { expect, it } from "vitest";
import { scratchMocks } from "./specs.ts";

// DigitalOcean's invoice PDF: a spec of several files, whose root file does not hold the response
// (the bundle moves it to components). Looking it up in the root file as written threw, a 500.
const mocks = scratchMocks("invoices", {
  "invoices.yaml": `openapi: 3.0.0
info:
  title: Invoices
  version: 1.0.0
servers:
  - url: https://invoices.example.com
paths:
  /invoices/{id}/pdf:
    get:
      operationId: invoicePdf
      parameters:
        - name: id
          in: path
          required: true
          schema:
            type: string
      responses:
        "200":
          $ref: responses/pdf.yaml
`,
  "responses/pdf.yaml": `description: The invoice
content:
  application/pdf:
    schema:
      type: string
      format: binary
`,
});

it("answers a binary response another file documents with a file of its type", async () => {
  const response = await fetch(`${mocks().mocks[0]!.url}/invoices/7/pdf`);
  expect(response.status, await response.clone().text()).toBe(200);
  expect(response.headers.get("content-type")).toBe("application/pdf");
  expect((await response.arrayBuffer()).byteLength).toBeGreaterThan(0);
});
