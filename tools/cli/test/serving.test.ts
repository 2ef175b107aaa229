import { execFile, spawn } from "node:child_process";
import { once } from "node:events";
import { createServer } from "node:http";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { PortFlagError, parsePortFlags } from "../src/flags.ts";
import { ListenError, listen, numberedPorts, serverGroup } from "../src/servers.ts";

// Made-up ids: the parser validates against whatever ids the registry hands it.
const defaults = { alpha: 5000, beta: 5001 };

describe("parsePortFlags", () => {
  it("overrides the named APIs' ports and keeps the others' defaults", () => {
    expect(parsePortFlags(["beta=6001"], defaults)).toEqual({ alpha: 5000, beta: 6001 });
    expect(defaults.beta).toBe(5001);
  });

  it.each([
    { flag: "beta", says: "--port beta: expected <api-id>=<port>, e.g. --port alpha=4111" },
    { flag: "beta=http", says: "--port beta=http: expected <api-id>=<port>" },
    { flag: "beta=70000", says: "--port beta=70000: expected <api-id>=<port>" },
    {
      flag: "gamma=1",
      says: '--port gamma=1: expected <api-id>=<port> with an id of the registry; "gamma" is not one (the registry lists alpha, beta)',
    },
  ])("rejects $flag, naming the flag and the fix", ({ flag, says }) => {
    expect(() => parsePortFlags([flag], defaults)).toThrow(PortFlagError);
    expect(() => parsePortFlags([flag], defaults)).toThrow(says);
  });
});

describe("servers", () => {
  it("numbers the default ports in registry order", () => {
    expect(numberedPorts(["alpha", "beta"], 4110)).toEqual({ alpha: 4110, beta: 4111 });
  });

  it("listens on a free port and says why it cannot on a busy one or a foreign address; stop frees the ports", async () => {
    const servers = serverGroup();
    const url = await listen(servers.add(createServer()), 0, "127.0.0.1");
    const port = Number(new URL(url).port);
    expect(url).toBe(`http://127.0.0.1:${port}`);
    const busy = listen(servers.add(createServer()), port, "127.0.0.1");
    await expect(busy).rejects.toThrow(ListenError);
    await expect(busy).rejects.toThrow(`port ${port} on 127.0.0.1 is already in use`);
    await expect(listen(servers.add(createServer()), 0, "192.0.2.1")).rejects.toThrow(
      "192.0.2.1 is not an address of this machine",
    );
    await servers.stop();
    await servers.stop();
    await expect(fetch(url)).rejects.toThrow();
  });
});

const lifecycle = JSON.stringify(new URL("../src/lifecycle.ts", import.meta.url).href);

describe("runUntilStopped", () => {
  // The helper owns the process (signals, exit): run it in a child.
  it("on SIGTERM says why, stops the service and exits 0", async () => {
    const script = `import { runUntilStopped } from ${lifecycle};
await runUntilStopped("widgets", async () => ({ stop: async () => console.log("stopped") }));
console.log("ready");
setInterval(() => {}, 1000);`;
    const child = spawn(process.execPath, ["--input-type=module", "-e", script], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    let output = "";
    child.stdout.on("data", (chunk) => {
      output += chunk;
      if (output.includes("ready")) child.kill("SIGTERM");
    });
    const [code] = await once(child, "exit");
    expect(code).toBe(0);
    expect(output).toContain("SIGTERM: stopping the widgets.\nstopped");
  });

  it("lets an error of start reach the caller", async () => {
    const script = `import { runUntilStopped } from ${lifecycle};
await runUntilStopped("widgets", async () => { throw new Error("port busy"); }).catch((error) => { console.log(error.message); process.exit(3); });`;
    const failure = await promisify(execFile)(process.execPath, ["--input-type=module", "-e", script]).catch(
      (error: unknown) => error,
    );
    expect(failure).toMatchObject({ code: 3, stdout: "port busy\n" });
  });
});
