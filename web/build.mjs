// Builds the portfolio view into ONE self-contained HTML file: the TypeScript bundled and minified by esbuild, the CSS
// minified, both inlined into index.html. No external requests at run time. Same input, same bytes (CI checks it).
//
//   node build.mjs                 writes ../src/ValueMcp.Server/Ui/portfolio.html
//   node build.mjs --out FILE      writes FILE instead (scripts/build-app.sh --check uses this)
import { build } from "esbuild";
import { createHash } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const outIndex = process.argv.indexOf("--out");
const out = outIndex > 0 ? resolve(process.argv[outIndex + 1]) : resolve(here, "../src/ValueMcp.Server/Ui/portfolio.html");

const common = { absWorkingDir: here, bundle: true, minify: true, write: false, legalComments: "none", logLevel: "warning", charset: "utf8" };

const [js, css] = await Promise.all([
  build({
    ...common,
    entryPoints: ["src/main.ts"],
    format: "iife",
    target: ["es2022", "chrome111", "safari16.4", "firefox115"],
    platform: "browser",
    metafile: true,
  }),
  build({ ...common, entryPoints: ["src/styles.css"], loader: { ".css": "css" }, target: ["chrome123", "safari17.5", "firefox120"] }),
]);

const script = js.outputFiles[0].text.trim();
const style = css.outputFiles[0].text.trim();
// Inline content must not close its own element early or open an HTML comment inside a script.
if (/<\/script/i.test(script) || script.includes("<!--")) throw new Error("the bundle contains </script or <!--; cannot inline it safely");
if (/<\/style/i.test(style)) throw new Error("the stylesheet contains </style; cannot inline it safely");

// Line endings normalised so a checkout with CRLF builds the same bytes.
const template = (await readFile(resolve(here, "index.html"), "utf8")).replace(/\r\n/g, "\n");
const filled = template.split("/*__STYLE__*/");
if (filled.length !== 2) throw new Error("index.html must contain /*__STYLE__*/ exactly once");
const parts = filled.join(style).split("/*__SCRIPT__*/");
if (parts.length !== 2) throw new Error("index.html must contain /*__SCRIPT__*/ exactly once");
const html = parts.join(script);

await mkdir(dirname(out), { recursive: true });
await writeFile(out, html);

const kb = (n) => `${(n / 1024).toFixed(1)} kB`;
const sha = (s) => `sha256-${createHash("sha256").update(s, "utf8").digest("base64")}`;
const size = Buffer.byteLength(html);
console.log(`wrote ${out}: ${kb(size)} (script ${kb(Buffer.byteLength(script))}, style ${kb(Buffer.byteLength(style))})`);
if (process.env.BUILD_VERBOSE) {
  console.log(`CSP hashes: script '${sha(script)}', style '${sha(style)}'`);
  const byPackage = {};
  for (const [file, info] of Object.entries(js.metafile.outputs["<stdout>"]?.inputs ?? Object.values(js.metafile.outputs)[0].inputs)) {
    const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file);
    const key = m ? m[1] : "web/src";
    byPackage[key] = (byPackage[key] ?? 0) + info.bytesInOutput;
  }
  for (const [name, bytes] of Object.entries(byPackage).sort((a, b) => b[1] - a[1])) console.log(`  ${kb(bytes).padStart(9)}  ${name}`);
}
