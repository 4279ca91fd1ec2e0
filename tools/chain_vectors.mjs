// Produces the cast known-answer vectors as JSON on stdout. Run through chain_vectors.sh.
// Every expected output below comes from running cast; nothing is computed here except input formatting.
import { execFileSync } from "node:child_process";

const cast = process.env.CAST;
if (!cast) throw new Error("set CAST to the cast binary (chain_vectors.sh does)");
const run = (...args) => execFileSync(cast, args, { encoding: "utf8" }).trim();
const repeat = (byteHex, n) => "0x" + byteHex.repeat(n);

const keys = [
  "0x4646464646464646464646464646464646464646464646464646464646464646", // EIP-155 example key
  "0x0000000000000000000000000000000000000000000000000000000000000001", // smallest key
  "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80", // anvil account 0
  "0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364140", // n - 1, largest key
];

// --- keccak: text inputs are hashed as UTF-8, 0x inputs as bytes; 135/136/137 straddle the sponge rate.
const keccakInputs = [
  { text: "" }, { text: "hello world" }, { text: "Transfer(address,address,uint256)" }, { text: "héllo ✓" },
  { hex: "0x00" }, { hex: repeat("ab", 135) }, { hex: repeat("cd", 136) }, { hex: repeat("ef", 137) }, { hex: repeat("01", 1000) },
];
const keccak = keccakInputs.map((i) => ({ ...i, hash: run("keccak", i.text ?? i.hex) }));

// --- RLP: values are JSON trees of hex strings, as cast to-rlp takes them.
const utf8Hex = (s) => "0x" + Buffer.from(s, "utf8").toString("hex");
const rlpValues = [
  "0x", "0x00", "0x0f", "0x7f", "0x80", "0x0400", utf8Hex("dog"), [utf8Hex("cat"), utf8Hex("dog")], [],
  [[], [[]], [[], [[]]]], utf8Hex("Lorem ipsum dolor sit amet, consectetur adipisicing elit"), repeat("aa", 55),
  repeat("bb", 1024), [repeat("cc", 30), repeat("dd", 30)], [["0x01", ["0x02", "0x"]], "0x7f", "0x80"],
];
const rlp = rlpValues.map((value) => {
  const encoded = run("to-rlp", JSON.stringify(value));
  return { value, encoded, decodedByCast: JSON.parse(run("from-rlp", encoded)) };
});

// --- ABI: values as JSON (integers as decimal strings, bytes as hex, tuples and arrays as JSON arrays).
function splitTop(s) {
  const parts = []; let depth = 0; let start = 0;
  for (let i = 0; i < s.length; i++) {
    if ("([".includes(s[i])) depth++;
    else if (")]".includes(s[i])) depth--;
    else if (s[i] === "," && depth === 0) { parts.push(s.slice(start, i)); start = i + 1; }
  }
  if (s.length) parts.push(s.slice(start));
  return parts;
}
function castArg(type, value) {
  const array = type.match(/^(.*)\[(\d*)\]$/);
  if (array) return "[" + value.map((v) => castArg(array[1], v)).join(",") + "]";
  if (type.startsWith("(")) {
    const parts = splitTop(type.slice(1, -1));
    return "(" + value.map((v, i) => castArg(parts[i], v)).join(",") + ")";
  }
  return String(value);
}
const addrA = "0x9d8a62f656a8d1615c1294fd71e9cfb3e4855a4f";
const addrB = "0x3535353535353535353535353535353535353535";
const h32 = (b) => repeat(b, 32);
const max256 = (2n ** 256n - 1n).toString();
const abiCases = [
  { types: ["uint256"], values: ["0"] },
  { types: ["uint256"], values: [max256] },
  { types: ["uint8", "uint64", "uint128"], values: ["255", "18446744073709551615", "1"] },
  { types: ["int256", "int8", "int64"], values: ["-1", "-128", "9223372036854775807"] },
  { types: ["address", "bool", "bool"], values: [addrA, true, false] },
  { types: ["bytes32", "bytes4", "bytes1"], values: [h32("ab"), "0xdeadbeef", "0x01"] },
  { types: ["bytes"], values: ["0x"] },
  { types: ["bytes"], values: [repeat("42", 33)] },
  { types: ["string"], values: ["hello federated"] },
  { types: ["string", "uint256"], values: ["", "7"] },
  { types: ["uint256[]"], values: [["1", "2", "3"]] },
  { types: ["uint256[]"], values: [[]] },
  { types: ["address[]", "uint256[]"], values: [[addrA, addrB], ["10", "20"]] },
  { types: ["bytes32[]"], values: [[h32("01"), h32("02")]] },
  { types: ["uint256", "address[]", "string"], values: ["5", [addrA], "hello"] },
  { types: ["(uint256,address,bool)"], values: [["9", addrB, true]] },
  { types: ["(uint256,string)[]", "bytes32[2]"], values: [[["1", "a"], ["2", "bc"]], [h32("11"), h32("22")]] },
  { types: ["(bytes32,uint64,uint32,bytes32,bytes32,uint64)"], values: [[h32("aa"), "3", "7", h32("bb"), h32("cc"), "1767225600"]] },
  // cast reads an empty element in "[a,b,]" as no element, so array vectors avoid empty strings.
  { types: ["string[]", "bytes"], values: [["one", "two", "three"], "0x0102"] },
];
const abi = abiCases.map((c) => ({
  ...c,
  encoded: run("abi-encode", `f(${c.types.join(",")})`, ...c.types.map((t, i) => castArg(t, c.values[i]))),
}));
const calls = [
  { signature: "transfer(address,uint256)", types: ["address", "uint256"], values: [addrB, "1000000000000000000"] },
  { signature: "approve(address,uint256)", types: ["address", "uint256"], values: [addrA, max256] },
  { signature: "balanceOf(address)", types: ["address"], values: [addrA] },
  { signature: "payout(bytes32,address[],uint256[])", types: ["bytes32", "address[]", "uint256[]"], values: [h32("aa"), [addrA, addrB], ["1", "2"]] },
  { signature: "submit((bytes32,uint64,uint32),bytes)", types: ["(bytes32,uint64,uint32)", "bytes"], values: [[h32("01"), "2", "3"], "0xc0ffee"] },
].map((c) => ({
  ...c,
  selector: run("sig", c.signature),
  calldata: run("calldata", c.signature, ...c.types.map((t, i) => castArg(t, c.values[i]))),
}));
const eventTopics = [
  "Transfer(address,address,uint256)", "Approval(address,address,uint256)", "PayoutSubmitted(bytes32,uint64,address[],uint256[])",
].map((signature) => ({ signature, topic: run("sig-event", signature) }));

// --- Keys, addresses, checksums, signatures.
const addresses = keys.map((privateKey) => ({ privateKey, address: run("wallet", "address", "--private-key", privateKey) }));
const checksums = [
  addrA, addrB, "0x52908400098527886e0f7030069857d2e4169ee7", "0xde709f2102306220921060314715629080e2fb77",
  "0x0000000000000000000000000000000000000000", "0xffffffffffffffffffffffffffffffffffffffff",
].map((input) => ({ input, checksummed: run("to-check-sum-address", input) }));
const hashes = [h32("00"), h32("ff"), run("keccak", "federated"), run("keccak", "round 1")];
const hashSignatures = keys.flatMap((privateKey) => hashes.map((hash) => ({
  privateKey, hash, signature: run("wallet", "sign", "--no-hash", "--private-key", privateKey, hash),
})));
const personalSignatures = [{ text: "hello" }, { text: "" }, { text: "Sign in to Federated, nonce 42" }, { hex: "0xdeadbeef" }]
  .flatMap((m) => keys.slice(0, 2).map((privateKey) => ({
    ...m, privateKey,
    // cast hash-message hashes its argument as text even when it starts with 0x, so only text gets a hash.
    ...(m.text !== undefined ? { hash: run("hash-message", m.text) } : {}),
    signature: run("wallet", "sign", "--private-key", privateKey, m.text ?? m.hex),
  })));

// --- Transactions (all offline: chain, nonce, gas limit and prices are given, so cast needs no RPC).
const accessList = [{ address: addrB, storageKeys: [h32("00").replace(/00$/, "01"), h32("ab")] }, { address: addrA, storageKeys: [] }];
const eip1559Cases = [
  { privateKey: keys[0], chainId: "1", nonce: "9", gasLimit: "21000", maxFeePerGas: "20000000000", maxPriorityFeePerGas: "1000000000", to: addrB, value: "1000000000000000000", data: "0x", accessList: [] },
  { privateKey: keys[2], chainId: "31337", nonce: "0", gasLimit: "100000", maxFeePerGas: "2000000000", maxPriorityFeePerGas: "1000000000", to: addrB, value: "0", data: calls[0].calldata, accessList: [] },
  { privateKey: keys[1], chainId: "11155111", nonce: "18446744073709551615", gasLimit: "30000000", maxFeePerGas: "1", maxPriorityFeePerGas: "0", to: null, value: "0", data: "0x6080604052348015600f57600080fd5b50", accessList: [] },
  { privateKey: keys[3], chainId: "1", nonce: "1", gasLimit: "60000", maxFeePerGas: "3000000000", maxPriorityFeePerGas: "3000000000", to: addrA, value: max256, data: "0x", accessList },
];
const eip1559 = eip1559Cases.map((t) => {
  const args = ["mktx", "--private-key", t.privateKey, "--chain", t.chainId, "--nonce", t.nonce, "--gas-limit", t.gasLimit,
    "--gas-price", t.maxFeePerGas, "--priority-gas-price", t.maxPriorityFeePerGas, "--value", t.value];
  if (t.accessList.length) args.push("--access-list", JSON.stringify(t.accessList));
  if (t.to) args.push(t.to, ...(t.data !== "0x" ? [t.data] : []));
  else args.push("--create", t.data);
  return { ...t, raw: run(...args) };
});
const legacyCases = [
  { privateKey: keys[0], chainId: "1", nonce: "9", gasLimit: "21000", gasPrice: "20000000000", to: addrB, value: "1000000000000000000", data: "0x" },
  { privateKey: keys[2], chainId: "31337", nonce: "3", gasLimit: "90000", gasPrice: "1", to: addrA, value: "0", data: calls[2].calldata },
];
const legacy = legacyCases.map((t) => ({
  ...t,
  raw: run("mktx", "--legacy", "--private-key", t.privateKey, "--chain", t.chainId, "--nonce", t.nonce, "--gas-limit", t.gasLimit,
    "--gas-price", t.gasPrice, "--value", t.value, t.to, ...(t.data !== "0x" ? [t.data] : [])),
}));

// --- EIP-712: the EIP's Mail example, the Contribution type the trust feature will sign, and a wider mix.
const domainType = (...names) => names.map((n) => ({
  name: { name: "name", version: "version", chainId: "chainId", verifyingContract: "verifyingContract", salt: "salt" }[n],
  type: { name: "string", version: "string", chainId: "uint256", verifyingContract: "address", salt: "bytes32" }[n],
}));
const typedData = [
  { name: "eip712-mail", typedData: {
    types: { EIP712Domain: domainType("name", "version", "chainId", "verifyingContract"),
      Person: [{ name: "name", type: "string" }, { name: "wallet", type: "address" }],
      Mail: [{ name: "from", type: "Person" }, { name: "to", type: "Person" }, { name: "contents", type: "string" }] },
    primaryType: "Mail",
    domain: { name: "Ether Mail", version: "1", chainId: 1, verifyingContract: "0xCcCCccccCCCCcCCCCCCcCcCccCcCCCcCcccccccC" },
    message: { from: { name: "Cow", wallet: "0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826" },
      to: { name: "Bob", wallet: "0xbBbBBBBbbBBBbbbBbbBbbbbBBbBbbbbBbBbbBBbB" }, contents: "Hello, Bob!" } } },
  { name: "contribution", typedData: {
    types: { EIP712Domain: domainType("name", "version", "chainId", "verifyingContract"),
      Contribution: [{ name: "runId", type: "bytes32" }, { name: "round", type: "uint64" }, { name: "shard", type: "uint32" },
        { name: "baseModelHash", type: "bytes32" }, { name: "updateHash", type: "bytes32" }, { name: "deadline", type: "uint64" }] },
    primaryType: "Contribution",
    domain: { name: "Federated", version: "1", chainId: 31337, verifyingContract: "0x5FbDB2315678afecb367f032d93F642f64180aa3" },
    message: { runId: h32("11"), round: 3, shard: 7, baseModelHash: h32("22"), updateHash: h32("33"), deadline: 1767225600 } } },
  { name: "mixed-with-arrays-and-salt", typedData: {
    types: { EIP712Domain: domainType("name", "chainId", "salt"),
      Batch: [{ name: "owner", type: "address" }, { name: "amounts", type: "uint256[]" }, { name: "delta", type: "int64" },
        { name: "accepted", type: "bool" }, { name: "blob", type: "bytes" }, { name: "note", type: "string" },
        { name: "items", type: "Item[]" }, { name: "tag", type: "bytes4" }],
      Item: [{ name: "id", type: "uint32" }, { name: "hashes", type: "bytes32[2]" }] },
    primaryType: "Batch",
    domain: { name: "Federated", chainId: 1, salt: h32("5a") },
    message: { owner: addrA, amounts: ["1", "2", max256], delta: -5, accepted: true, blob: "0xc0ffee", note: "ok",
      items: [{ id: 1, hashes: [h32("01"), h32("02")] }, { id: 2, hashes: [h32("03"), h32("04")] }], tag: "0xdeadbeef" } } },
];
const eip712 = typedData.flatMap((t) => [keccakOf("cow"), keys[2]].map((privateKey) => ({
  ...t, privateKey, signature: run("wallet", "sign", "--data", "--private-key", privateKey, JSON.stringify(t.typedData)),
})));
function keccakOf(text) { return run("keccak", text); }

process.stdout.write(JSON.stringify({
  generator: `${run("--version").split("\n")[0]} via tools/chain_vectors.sh`,
  keccak, rlp, abi, calls, eventTopics, addresses, checksums, hashSignatures, personalSignatures, eip1559, legacy, eip712,
}, null, 2) + "\n");
