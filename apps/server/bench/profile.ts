// `node --import tsx bench/profile.ts <file.cpuprofile> [top] [skip seconds]`: where a CPU profile of
// the server (BENCH_PROFILE=<folder> npm run bench) spent its time, as shares of the busy (non-idle)
// samples after the first `skip` seconds (default 3: the start-up, compiling the validators):
// self time per package (node_modules/<name>), per source file of commlog, per Node internal
// module and per V8 category ((garbage collector), (program)), then the heaviest functions.
import { readFileSync } from "node:fs";

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: Node[];
  samples: number[];
  timeDeltas: number[];
}

const profile = JSON.parse(readFileSync(process.argv[2]!, "utf8")) as Profile;
const top = Number(process.argv[3] ?? 25);
const skipMicros = Number(process.argv[4] ?? 3) * 1e6;
const byId = new Map(profile.nodes.map((node) => [node.id, node]));

/** The bucket of a frame: a package, a commlog file, a Node module or a V8 category. */
function bucketOf({ url, functionName }: Node["callFrame"]): string {
  if (!url) return functionName.startsWith("(") ? functionName : `(native) ${functionName}`;
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1]!;
  if (url.startsWith("node:")) return url;
  const own = /\/(apps|packages)\/(.+)$/.exec(url);
  return own ? `${own[1]}/${own[2]}` : url;
}

const self = new Map<number, number>();
let elapsed = 0;
profile.samples.forEach((id, i) => {
  elapsed += profile.timeDeltas[i] ?? 0;
  if (elapsed >= skipMicros) self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
});
const buckets = new Map<string, number>();
const functions = new Map<string, number>();
let busy = 0;
for (const [id, time] of self) {
  const frame = byId.get(id)!.callFrame;
  if (frame.functionName === "(idle)") continue;
  busy += time;
  const bucket = bucketOf(frame);
  buckets.set(bucket, (buckets.get(bucket) ?? 0) + time);
  const name = `${frame.functionName || "(anonymous)"} ${bucket}:${frame.lineNumber + 1}`;
  functions.set(name, (functions.get(name) ?? 0) + time);
}

const share = (time: number) => `${((100 * time) / busy).toFixed(1).padStart(5)} %`;
const sorted = (map: Map<string, number>) => [...map].sort(([, a], [, b]) => b - a).slice(0, top);
process.stdout.write(`busy ${(busy / 1e6).toFixed(1)} s of CPU\n\nself time by package / file:\n`);
for (const [name, time] of sorted(buckets)) process.stdout.write(`${share(time)}  ${name}\n`);
process.stdout.write(`\nheaviest functions (self):\n`);
for (const [name, time] of sorted(functions)) process.stdout.write(`${share(time)}  ${name}\n`);
