// Compiles contracts/src/*.sol with solc-js and writes contracts/build/<Name>.json.
// Usage: node compile.mjs          writes the build output
//        node compile.mjs --check  recompiles and exits 1 if any committed build file differs
// Everything that affects the bytecode is pinned here or in package-lock.json, and the metadata hash
// is left out of the bytecode, so the output is the same byte for byte on every machine.
import { readFileSync, writeFileSync, readdirSync, existsSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";

const root = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const fail = (message) => { console.error(`compile.mjs: ${message}`); process.exit(1); };

let solc;
try { solc = require("solc"); } catch { fail("solc is not installed; run scripts/provision/chain.sh (npm ci in contracts/)."); }

const compilerVersion = "0.8.37+commit.f401782d.Emscripten.clang";
if (solc.version() !== compilerVersion) fail(`expected solc ${compilerVersion}, found ${solc.version()}; run npm ci in contracts/.`);

const settings = {
  optimizer: { enabled: true, runs: 10000 },
  // The IR pipeline saves ~25 gas per recipient in payRound's loop over the legacy one.
  viaIR: true,
  evmVersion: "prague",
  metadata: { bytecodeHash: "none" },
  outputSelection: { "*": { "*": ["abi", "evm.bytecode.object", "evm.deployedBytecode.object", "storageLayout"] } },
};

// Source keys are relative so nothing about this machine reaches the output.
const sources = {};
for (const file of readdirSync(join(root, "src")).filter((f) => f.endsWith(".sol")).sort())
  sources[`src/${file}`] = { content: readFileSync(join(root, "src", file), "utf8") };

function findImports(path) {
  const full = join(root, "node_modules", path);
  return existsSync(full) ? { contents: readFileSync(full, "utf8") } : { error: `import not found: ${path} (looked in ${full})` };
}

const output = JSON.parse(solc.compile(JSON.stringify({ language: "Solidity", sources, settings }), { import: findImports }));
const problems = (output.errors ?? []).filter((e) => e.severity === "error" || e.type === "Warning");
if (problems.length) fail(`compilation produced errors or warnings:\n${problems.map((e) => e.formattedMessage).join("\n")}`);

// RewardToken's batch path writes OpenZeppelin's private ERC20._balances at a fixed slot.
function checkSlot(contract, label, slot, offset) {
  const entry = contract.storageLayout.storage.find((s) => s.label === label);
  if (!entry || entry.slot !== String(slot) || entry.offset !== offset)
    fail(`storage layout changed: ${label} is at ${entry ? `slot ${entry.slot} offset ${entry.offset}` : "nowhere"}, expected slot ${slot} offset ${offset}.`);
}

const build = {};
for (const [source, contracts] of Object.entries(output.contracts)) {
  if (!source.startsWith("src/")) continue;
  for (const [name, contract] of Object.entries(contracts)) {
    if (contract.evm.bytecode.object === "") continue; // abstract: nothing to deploy
    checkSlot(contract, "_balances", 0, 0);
    if (name === "RewardDistributor") {
      const paused = contract.storageLayout.storage.find((s) => s.label === "_paused");
      checkSlot(contract, "coordinator", Number(paused.slot), paused.offset + 1);
    }
    const artifact = {
      contractName: name,
      sourceName: source,
      abi: contract.abi,
      bytecode: `0x${contract.evm.bytecode.object}`,
      deployedBytecode: `0x${contract.evm.deployedBytecode.object}`,
      compiler: compilerVersion,
      settings: { optimizer: settings.optimizer, viaIR: settings.viaIR, evmVersion: settings.evmVersion, metadata: settings.metadata },
    };
    build[`${name}.json`] = JSON.stringify(artifact, null, 2) + "\n";
  }
}

const buildDir = join(root, "build");
if (process.argv.includes("--check")) {
  const committed = existsSync(buildDir) ? readdirSync(buildDir).filter((f) => f.endsWith(".json")).sort() : [];
  const expected = Object.keys(build).sort();
  const differing = expected.filter((f) => !committed.includes(f) || readFileSync(join(buildDir, f), "utf8") !== build[f]);
  const extra = committed.filter((f) => !expected.includes(f));
  if (differing.length || extra.length)
    fail(`contracts/build is out of date (differs: ${differing.join(", ") || "none"}; not produced by the sources: ${extra.join(", ") || "none"}). Run: node contracts/compile.mjs`);
  console.log(`contracts/build matches the sources (${expected.join(", ")})`);
} else {
  mkdirSync(buildDir, { recursive: true });
  for (const [file, text] of Object.entries(build)) writeFileSync(join(buildDir, file), text);
  console.log(`wrote ${Object.keys(build).map((f) => `build/${f}`).join(", ")}`);
}
