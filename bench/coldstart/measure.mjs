// Cold start to initialize-complete: for each command, spawn it, send the MCP initialize request on stdin at once,
// and time from spawn to the first stdout line that is the initialize response (id 1). The process is then killed.
// Commands alternate run by run so that both see the same machine; prints min / median / max per command and the
// ratio of medians of every command to the first one.
//   node measure.mjs REPS NAME 'COMMAND ARGS...' NAME 'COMMAND ARGS...' ...
import { spawn } from "node:child_process";

const [repsText, ...rest] = process.argv.slice(2);
const reps = Number(repsText);
const commands = [];
for (let i = 0; i + 1 < rest.length; i += 2) commands.push({ name: rest[i], argv: rest[i + 1].split(" ").filter(Boolean) });
if (!(reps > 0) || commands.length < 2) {
  console.error("usage: node measure.mjs REPS NAME 'COMMAND...' NAME 'COMMAND...' ...");
  process.exit(2);
}

const initialize = JSON.stringify({
  jsonrpc: "2.0", id: 1, method: "initialize",
  params: { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "coldstart", version: "1.0" } },
}) + "\n";

function once({ argv }) {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn(argv[0], argv.slice(1), { stdio: ["pipe", "pipe", "ignore"] });
    let buffer = "";
    const timer = setTimeout(() => { child.kill("SIGKILL"); reject(new Error(`timeout: ${argv.join(" ")}`)); }, 60000);
    child.on("error", reject);
    child.stdout.on("data", (chunk) => {
      buffer += chunk;
      for (let nl = buffer.indexOf("\n"); nl >= 0; nl = buffer.indexOf("\n")) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        try {
          const message = JSON.parse(line);
          if (message.id === 1 && message.result) {
            const ms = Number(process.hrtime.bigint() - start) / 1e6;
            clearTimeout(timer);
            child.kill("SIGKILL");
            resolve(ms);
            return;
          }
        } catch { /* not JSON: ignore */ }
      }
    });
    child.stdin.write(initialize);
  });
}

const times = commands.map(() => []);
for (let r = 0; r < reps + 1; r++) {
  for (let c = 0; c < commands.length; c++) {
    const ms = await once(commands[c]);
    if (r > 0) times[c].push(ms); // the first round warms the disk cache and is not counted
  }
}
const stat = (xs) => { const s = [...xs].sort((a, b) => a - b); return { min: s[0], median: s[Math.floor((s.length - 1) / 2)], max: s[s.length - 1] }; };
const stats = times.map(stat);
console.log(`cold start to initialize response, ${reps} runs each (after one uncounted warm-up round):`);
commands.forEach((c, i) => console.log(`  ${c.name.padEnd(28)} min ${stats[i].min.toFixed(0).padStart(5)} ms  median ${stats[i].median.toFixed(0).padStart(5)} ms  max ${stats[i].max.toFixed(0).padStart(5)} ms`));
for (let i = 1; i < commands.length; i++)
  console.log(`ratio ${commands[i].name} / ${commands[0].name} (medians): ${(stats[i].median / stats[0].median).toFixed(2)}`);
