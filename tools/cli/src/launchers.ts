import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";

/** The parent pid and command line of a process, or undefined once it is gone. */
function processInfo(pid: number): { ppid: number; command: string } | undefined {
  try {
    if (existsSync("/proc/self/stat")) {
      // Linux: read /proc directly, cheap enough to poll. The command name in `stat` may hold spaces: skip past ")".
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      const [state, ppid] = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (state === "Z") return undefined;
      return { ppid: Number(ppid), command: readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ").trim() };
    }
    const match = /^\s*(\d+)\s+(.*)$/.exec(
      execFileSync("ps", ["-o", "ppid=,args=", "-p", String(pid)], { encoding: "utf8" }),
    );
    return match ? { ppid: Number(match[1]), command: match[2]!.trim() } : undefined;
  } catch {
    return undefined;
  }
}

const isNpm = (command: string) => /^(npm|npx)(\s|$)|[/\\](npm|npx)(-cli\.js)?(\s|$)/.test(command);

/**
 * Calls `onGone` once any process that launched this one is gone: the parent, and every npm
 * above it (`npm start` runs `exec npm run mock`, so SIGKILL of the outer npm orphans the inner
 * one, which lives on). npm passes no signal on when it is killed, so the chain is polled.
 * The user's shell above the npms is not watched: `nohup npm run mock &` outlives it.
 */
export function watchLaunchers(onGone: (reason: string) => void, intervalMs = 500): void {
  const chain = [process.ppid];
  for (let info = processInfo(process.ppid); info && isNpm(info.command); ) {
    const above = processInfo(info.ppid);
    if (!above || !isNpm(above.command)) break;
    chain.push(info.ppid);
    info = above;
  }
  // Each link must hold: a process whose launcher died is re-parented at once, even before it is reaped.
  const intact = () =>
    process.ppid === chain[0] &&
    chain.slice(1).every((pid, index) => processInfo(chain[index]!)?.ppid === pid && processInfo(pid) !== undefined);
  setInterval(
    () => intact() || onGone(chain.length > 1 ? "a launching npm process is gone" : "parent process gone"),
    intervalMs,
  ).unref();
}
