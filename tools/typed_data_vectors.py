#!/usr/bin/env python3
"""Known-answer EIP-712 digests for the structs Federated signs (Federated.Chain/Attestations), computed independently
of our C#: the encoding written out by hand from the EIP, and the Keccak-256 of tools/keystore_vectors.py (checked there
against published vectors). Prints the values tests/Federated.Chain.Tests/AttestationTests.cs expects.

    python3 tools/typed_data_vectors.py
"""
import importlib.util
import pathlib

spec = importlib.util.spec_from_file_location("kv", pathlib.Path(__file__).with_name("keystore_vectors.py"))
kv = importlib.util.module_from_spec(spec)
import contextlib, io
with contextlib.redirect_stdout(io.StringIO()):
    spec.loader.exec_module(kv)
keccak = kv.keccak256


def word(n: int) -> bytes:
    return n.to_bytes(32, "big")


def text(s: str) -> bytes:
    return keccak(s.encode())


def struct(type_string: str, *fields: bytes) -> bytes:
    return keccak(keccak(type_string.encode()) + b"".join(fields))


domain = struct("EIP712Domain(string name,string version,uint256 chainId)", text("Federated"), text("1"), word(31337))
print("domain separator (chainId 31337):", "0x" + domain.hex())

h1 = bytes.fromhex("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08")
h2 = bytes.fromhex("60303ae22b998861bce3b28f33eec1be758a213c86c93c076dbe9f558c11c752")
contribution = struct(
    "Contribution(string runId,uint64 round,uint32 shard,string leaseId,bytes32 baseModelHash,bytes32 updateHash,uint64 tokens,uint64 deadline)",
    text("20261203-120000-abc123"), word(3), word(7), text("5f0c2e"), h1, h2, word(320), word(1764763200))
print("contribution digest:", "0x" + keccak(b"\x19\x01" + domain + contribution).hex())

registration = struct("WorkerRegistration(string workerId,string endpoint,uint64 issuedAt)",
                      text("worker-1"), text("queue:fed-worker-worker-1"), word(1764763200))
print("registration digest:", "0x" + keccak(b"\x19\x01" + domain + registration).hex())

admin = struct("AdminAction(string action,string target,bytes32 payloadHash,uint64 issuedAt)",
               text("launch-run"), text("req-1"), keccak(b'{"name":"x"}'), word(1764763200))
print("admin action digest:", "0x" + keccak(b"\x19\x01" + domain + admin).hex())
