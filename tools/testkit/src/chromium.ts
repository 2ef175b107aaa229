import { existsSync } from "node:fs";
import { chmod, mkdtemp, readFile, rename, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import sparticuz from "@sparticuz/chromium";
import { type Browser, chromium } from "playwright-core";

/**
 * Headless Chromium from npm: @sparticuz/chromium ships the browser compressed, with its libraries,
 * and playwright-core drives it. No system browser, no root, nothing downloaded at test time.
 */
export async function launchChromium(): Promise<Browser> {
  // Its flags are made for AWS Lambda; there --single-process is needed, here it ends the browser with
  // the first page closed.
  return chromium.launch({
    executablePath: await unpackedChromium(),
    args: sparticuz.args.filter((arg) => arg !== "--single-process"),
  });
}

/**
 * The browser, unpacked once per version into the OS temp folder and shared by every test process
 * from then on. @sparticuz/chromium unpacks into `os.tmpdir()` and takes any `chromium` found there
 * as done, so it unpacks into a folder of this process's own, which then moves into place in one
 * rename: a test process beside this one, or a run killed half-way, never leaves half a browser to run.
 */
async function unpackedChromium(): Promise<string> {
  const manifest = path.join(
    path.dirname(createRequire(import.meta.url).resolve("@sparticuz/chromium")),
    "..",
    "package.json",
  );
  const { version } = JSON.parse(await readFile(manifest, "utf8")) as { version: string };
  const dir = path.join(tmpdir(), `sparticuz-chromium-${version}`);
  const executable = path.join(dir, "chromium");
  if (existsSync(executable)) return executable;
  const staging = await mkdtemp(path.join(tmpdir(), "sparticuz-chromium-unpacking-"));
  const tmpdirBefore = process.env.TMPDIR;
  process.env.TMPDIR = staging;
  try {
    await sparticuz.executablePath();
  } finally {
    if (tmpdirBefore === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = tmpdirBefore;
  }
  // Usable by every user of the machine, as the temp folder is theirs too.
  await chmod(staging, 0o755);
  await chmod(path.join(staging, "chromium"), 0o755);
  try {
    await rename(staging, dir);
  } catch (error) {
    // Another process moved the same version into place first.
    await rm(staging, { recursive: true, force: true });
    if (!existsSync(executable))
      throw new Error(`${dir} is in the way of the browser and holds no chromium: remove it and run again.`, {
        cause: error,
      });
  }
  return executable;
}
