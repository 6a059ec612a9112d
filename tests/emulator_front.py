"""The emulator as the functions' benchmark meets it: in front of moto, one plain HTTP port and
one HTTPS port (a certificate for localhost from a test CA made here), so that a function's cold
start can be measured with the TLS handshakes it makes on AWS. Both ports time every call at the
emulator, so the benchmark can tell the function's own cost from the emulator's.

GET /_front/spent answers the milliseconds during which the emulator was answering the functions
(calls that overlap count once) and the number of calls, since the last time it was asked.

usage: python emulator_front.py EMULATOR_PORT DIR
Writes DIR/ca.pem (the test CA), DIR/roots.pem (the system's roots and the test CA) and, once
listening, DIR/ports.json ({"plain": PORT, "tls": PORT}).
"""

import asyncio
import datetime
import ipaddress
import json
import pathlib
import ssl
import sys
import time

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

SYSTEM_ROOTS = pathlib.Path("/etc/ssl/certs/ca-certificates.crt")
# The (start, end) of each call since the last report.
calls = []


def certificates(folder):
    """A test CA and a certificate for localhost and 127.0.0.1 that it signs."""
    now = datetime.datetime.now(datetime.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "People First test CA")])
    ca = (x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name)
          .public_key(ca_key.public_key()).serial_number(x509.random_serial_number())
          .not_valid_before(now - datetime.timedelta(hours=1)).not_valid_after(now + datetime.timedelta(days=1))
          .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
          .add_extension(x509.KeyUsage(digital_signature=True, key_cert_sign=True, crl_sign=True,
                                       content_commitment=False, key_encipherment=False, data_encipherment=False,
                                       key_agreement=False, encipher_only=False, decipher_only=False), critical=True)
          .sign(ca_key, hashes.SHA256()))
    key = ec.generate_private_key(ec.SECP256R1())
    leaf = (x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")]))
            .issuer_name(ca_name).public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(hours=1)).not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost"),
                                                        x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .sign(ca_key, hashes.SHA256()))
    pem = lambda cert: cert.public_bytes(serialization.Encoding.PEM)
    (folder / "ca.pem").write_bytes(pem(ca))
    system = SYSTEM_ROOTS.read_bytes() if SYSTEM_ROOTS.exists() else b""
    (folder / "roots.pem").write_bytes(system + pem(ca))
    (folder / "server.pem").write_bytes(pem(leaf) + pem(ca))
    (folder / "server.key").write_bytes(key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(folder / "server.pem", folder / "server.key")
    return context


async def read_message(reader):
    """One HTTP/1.1 message: its head, and its body by Content-Length or chunks (empty at EOF)."""
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = {}
    for line in lines[1:]:
        if ":" in line:
            name, value = line.split(":", 1)
            headers[name.strip().lower()] = value.strip()
    if "content-length" in headers:
        body = await reader.readexactly(int(headers["content-length"]))
    elif headers.get("transfer-encoding", "").lower() == "chunked":
        body = b""
        while True:
            size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
            chunk = await reader.readexactly(size + 2)
            if size == 0:
                break
            body += chunk[:-2]
    else:
        body = b""
    return lines[0], headers, body


def busy(intervals):
    """How long at least one of the intervals was running."""
    total, reached = 0.0, float("-inf")
    for start, end in sorted(intervals):
        if end > reached:
            total += end - max(start, reached)
            reached = end
    return total


def message(first, headers, body):
    kept = {k: v for k, v in headers.items() if k not in ("content-length", "transfer-encoding", "connection")}
    kept["content-length"] = str(len(body))
    return (first + "\r\n" + "".join(f"{k}: {v}\r\n" for k, v in kept.items()) + "\r\n").encode("latin-1") + body


async def forward(upstream_port, first, headers, body):
    began = time.monotonic()
    reader, writer = await asyncio.open_connection("127.0.0.1", upstream_port)
    writer.write(message(first, {**headers, "connection": "close"}, body))
    await writer.drain()
    raw = await reader.read(-1)
    writer.close()
    calls.append((began, time.monotonic()))
    head, _, rest = raw.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    response_headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        response_headers[name.strip().lower()] = value.strip()
    if response_headers.get("transfer-encoding", "").lower() == "chunked":
        body = b""
        while rest:
            size_line, _, rest = rest.partition(b"\r\n")
            size = int(size_line.split(b";")[0], 16)
            if size == 0:
                break
            body, rest = body + rest[:size], rest[size + 2:]
        rest = body
    elif "content-length" in response_headers:
        rest = rest[: int(response_headers["content-length"])]
    return message(lines[0], response_headers, rest)


async def serve_client(upstream_port, reader, writer):
    try:
        while True:
            try:
                first, headers, body = await read_message(reader)
            except (asyncio.IncompleteReadError, ConnectionError):
                break
            if first.startswith("GET /_front/spent "):
                report = json.dumps({"ms": busy(calls) * 1e3, "calls": len(calls)}).encode()
                calls.clear()
                writer.write(message("HTTP/1.1 200 OK", {"content-type": "application/json"}, report))
            else:
                writer.write(await forward(upstream_port, first, headers, body))
            await writer.drain()
    finally:
        writer.close()


async def main():
    upstream_port, folder = int(sys.argv[1]), pathlib.Path(sys.argv[2])
    folder.mkdir(parents=True, exist_ok=True)
    context = certificates(folder)
    handle = lambda r, w: serve_client(upstream_port, r, w)
    plain = await asyncio.start_server(handle, "127.0.0.1", 0)
    tls = await asyncio.start_server(handle, "127.0.0.1", 0, ssl=context)
    ports = {"plain": plain.sockets[0].getsockname()[1], "tls": tls.sockets[0].getsockname()[1]}
    (folder / "ports.json").write_text(json.dumps(ports))
    async with plain, tls:
        await asyncio.gather(plain.serve_forever(), tls.serve_forever())


if __name__ == "__main__":
    asyncio.run(main())
