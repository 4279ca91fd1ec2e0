#!/usr/bin/env python3
"""Known answers for the Web3 Secret Storage (v3) keystore codec, made with tools independent of ours:
Python's hashlib.scrypt (OpenSSL), the `cryptography` package's AES-128-CTR, and the Keccak-256 below
(checked first against the published Web3 Secret Storage scrypt vector). Prints a light-scrypt vector
(n = 1024, r = 8, p = 1) for tests/Federated.Chain.Tests/KeystoreTests.cs.

    python3 tools/keystore_vectors.py
"""
import hashlib
import json

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

MASK = (1 << 64) - 1
RC = [0x0000000000000001, 0x0000000000008082, 0x800000000000808A, 0x8000000080008000, 0x000000000000808B,
      0x0000000080000001, 0x8000000080008081, 0x8000000000008009, 0x000000000000008A, 0x0000000000000088,
      0x0000000080008009, 0x000000008000000A, 0x000000008000808B, 0x800000000000008B, 0x8000000000008089,
      0x8000000000008003, 0x8000000000008002, 0x8000000000000080, 0x000000000000800A, 0x800000008000000A,
      0x8000000080008081, 0x8000000000008080, 0x0000000080000001, 0x8000000080008008]
ROT = [[0, 36, 3, 41, 18], [1, 44, 10, 45, 2], [62, 6, 43, 15, 61], [28, 55, 25, 21, 56], [27, 20, 39, 8, 14]]


def rol(v, n):
    return ((v << n) | (v >> (64 - n))) & MASK if n else v


def keccak_f(a):
    for rc in RC:
        c = [a[x][0] ^ a[x][1] ^ a[x][2] ^ a[x][3] ^ a[x][4] for x in range(5)]
        d = [c[(x - 1) % 5] ^ rol(c[(x + 1) % 5], 1) for x in range(5)]
        a = [[a[x][y] ^ d[x] for y in range(5)] for x in range(5)]
        b = [[0] * 5 for _ in range(5)]
        for x in range(5):
            for y in range(5):
                b[y][(2 * x + 3 * y) % 5] = rol(a[x][y], ROT[x][y])
        a = [[b[x][y] ^ ((~b[(x + 1) % 5][y]) & b[(x + 2) % 5][y]) for y in range(5)] for x in range(5)]
        a[0][0] ^= rc
    return a


def keccak256(data: bytes) -> bytes:
    rate = 136
    padded = bytearray(data) + b"\x01" + b"\x00" * ((-len(data) - 2) % rate) + b"\x80"
    if len(padded) % rate:  # one padding byte only: 0x01 | 0x80
        padded = bytearray(data) + b"\x81"
    a = [[0] * 5 for _ in range(5)]
    for off in range(0, len(padded), rate):
        block = padded[off:off + rate]
        for i in range(rate // 8):
            x, y = i % 5, i // 5
            a[x][y] ^= int.from_bytes(block[8 * i:8 * i + 8], "little")
        a = keccak_f(a)
    out = b"".join(a[i % 5][i // 5].to_bytes(8, "little") for i in range(4))
    return out


def encrypt(key: bytes, password: str, salt: bytes, iv: bytes, n: int, r: int, p: int):
    dk = hashlib.scrypt(password.encode(), salt=salt, n=n, r=r, p=p, dklen=32, maxmem=1 << 30)
    enc = Cipher(algorithms.AES(dk[:16]), modes.CTR(iv)).encryptor()
    ciphertext = enc.update(key) + enc.finalize()
    return ciphertext, keccak256(dk[16:32] + ciphertext)


assert keccak256(b"").hex() == "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470"
# The published PBKDF2 vector (Web3 Secret Storage Definition) checks the Keccak, AES-CTR and MAC steps; OpenSSL
# refuses the published scrypt vector's parameters (r = 1 needs n < 2^16 under RFC 7914), so it is tested as published.
dk = hashlib.pbkdf2_hmac("sha256", b"testpassword", bytes.fromhex("ae3cd4e7013836a3df6bd7241b12db061dbe2c6785853cce422d148a624ce0bd"), 262144, 32)
enc = Cipher(algorithms.AES(dk[:16]), modes.CTR(bytes.fromhex("6087dab2f9fdbbfaddc31a909735c1e6"))).encryptor()
ct = enc.update(bytes.fromhex("7a28b5ba57c53603b0b07b56bba752f7784bf506fa95edc395f5cf6c7514fe9d")) + enc.finalize()
assert ct.hex() == "5318b4d5bcd28de64ee5559e671353e16f075ecae9f99c7a79a38af5f869aa46", ct.hex()
assert keccak256(dk[16:32] + ct).hex() == "517ead924a9d0dc3124507e3393d175ce3ff7c1e96529c6c555ce9e51205e9b2"

key = bytes.fromhex("4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318")
salt = bytes(range(32))
iv = bytes(range(0xa0, 0xb0))
ct, mac = encrypt(key, "federated", salt, iv, 1024, 8, 1)
print(json.dumps({"password": "federated", "privateKey": key.hex(), "json": {
    "version": 3, "id": "0f8e1c4a-3d2b-4a59-8e7f-112233445566",
    "crypto": {"cipher": "aes-128-ctr", "cipherparams": {"iv": iv.hex()}, "ciphertext": ct.hex(), "kdf": "scrypt",
               "kdfparams": {"dklen": 32, "n": 1024, "r": 8, "p": 1, "salt": salt.hex()}, "mac": mac.hex()}}}, indent=2))
