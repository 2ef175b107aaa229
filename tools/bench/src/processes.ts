import { readFile } from "node:fs/promises";
import { execa, type ResultPromise } from "execa";

/** Resident memory of a process and all its descendants, in MiB (Linux /proc). */
export async function treeRssMiB(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, "utf8").catch(() => "");
  const rssKiB = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  const children = await readFile(`/proc/${pid}/task/${pid}/children`, "utf8").catch(() => "");
  const childRss = await Promise.all(
    children
      .split(/\s+/)
      .filter(Boolean)
      .map((child) => treeRssMiB(Number(child))),
  );
  return rssKiB / 1024 + childRss.reduce((sum, value) => sum + value, 0);
}

export interface StartedProcess {
  /** Milliseconds from spawn to the first output line matching the ready pattern. */
  readyMs: number;
  rssMiB: number;
  stop: () => Promise<void>;
}

/** Spawns a command and resolves when its output shows `ready` (a server is listening). */
export async function startUntilReady(
  command: string,
  args: string[],
  ready: RegExp,
  cwd: string,
): Promise<StartedProcess> {
  const started = performance.now();
  const child: ResultPromise = execa(command, args, {
    cwd,
    preferLocal: true,
    reject: false,
    all: true,
    buffer: false,
    forceKillAfterDelay: 2000,
  });
  const readyMs = await new Promise<number>((resolve, reject) => {
    let output = "";
    child.all?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      if (ready.test(output)) resolve(performance.now() - started);
    });
    void child.then((result) =>
      reject(new Error(`${command} exited before it was ready (${result.exitCode}):\n${output}`)),
    );
  });
  const rssMiB = await treeRssMiB(child.pid!);
  return {
    readyMs,
    rssMiB,
    stop: async () => {
      child.kill("SIGTERM");
      await child;
    },
  };
}

/** Milliseconds a command takes from spawn to exit; it must succeed. */
export async function measureCommand(command: string, args: string[], cwd: string): Promise<number> {
  const started = performance.now();
  await execa(command, args, { cwd, preferLocal: true });
  return performance.now() - started;
}
