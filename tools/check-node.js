// Plain JavaScript on purpose: it must run, and explain itself, on the system's old Node too.
const major = Number(process.versions.node.split(".")[0]);
if (major < 24) {
  console.error(
    `This repository runs on Node 24, but ${process.execPath} is Node ${process.version}.\n` +
      "The pinned Node 24 comes from the `node` devDependency: run `npm ci` (its install script " +
      "must be allowed, see `allowScripts` in package.json), then use `npm run <script>`.",
  );
  process.exit(1);
}
