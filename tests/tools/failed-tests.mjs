// Prints every failed test of the TRX files in a directory, with the first lines of its message, so the
// end of a long CI log names what failed (dotnet test prints failures where they happen, often thousands
// of lines earlier). Usage: node tests/tools/failed-tests.mjs <results-directory>
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";

const dir = process.argv[2];
const files = [];
const walk = (d) => {
  for (const name of readdirSync(d)) {
    const path = join(d, name);
    if (statSync(path).isDirectory()) walk(path);
    else if (name.endsWith(".trx")) files.push(path);
  }
};
walk(dir);

const decode = (s) => s.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&#xD;/g, "").replace(/&#xA;/g, "\n").replace(/&amp;/g, "&");
let failed = 0;
for (const file of files) {
  const xml = readFileSync(file, "utf8");
  // A passed test is often a self-closing tag; only a tag with a body holds a message.
  for (const match of xml.matchAll(/<UnitTestResult\b([^>]*?)(\/?)>/g)) {
    const attributes = match[1];
    if (!/outcome="Failed"/.test(attributes)) continue;
    failed++;
    const rest = match[2] === "/" ? "" : xml.slice(match.index + match[0].length);
    const body = rest.slice(0, Math.max(0, rest.indexOf("</UnitTestResult>")));
    const name = decode(/testName="([^"]*)"/.exec(attributes)?.[1] ?? "?");
    const duration = /duration="([^"]*)"/.exec(attributes)?.[1] ?? "?";
    const message = decode(/<Message>([\s\S]*?)<\/Message>/.exec(body)?.[1] ?? "");
    const stack = decode(/<StackTrace>([\s\S]*?)<\/StackTrace>/.exec(body)?.[1] ?? "");
    console.log(`FAILED ${name} (${duration})`);
    for (const line of message.split("\n").slice(0, 12)) console.log(`    ${line}`);
    for (const line of stack.split("\n").filter((l) => l.includes("Comms.")).slice(0, 4)) console.log(`    ${line.trim()}`);
  }
}
console.log(`${failed} failed test(s) in ${files.length} result file(s).`);
