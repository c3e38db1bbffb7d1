#!/usr/bin/env python3
"""A stand-in authorization server for trying `serve --http --auth-issuer` on one machine, without a real one.

It makes an RSA key, publishes its public half as a JWKS behind OpenID discovery on a loopback port, and prints access
tokens signed with it (RS256) for the audience and scopes asked. It has no login, no /authorize and no /token: it
shows the resource-server half of OAuth (the server fetching the keys, validating tokens, mapping scopes to roles),
not a client's sign-in. Never for production. Needs Python 3 with the `cryptography` package.

  scripts/oauth-trial-issuer.py --port 5058 --audience http://127.0.0.1:5057/mcp \
      --token "valuemcp:read valuemcp:write" --token "valuemcp:read"
Prints the issuer URL, then one token per --token, then serves until interrupted.
"""
import argparse
import base64
import json
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def integer(n: int) -> str:
    return b64url(n.to_bytes((n.bit_length() + 7) // 8, "big"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=5058)
    parser.add_argument("--audience", required=True, help="the server's resource URI (its --auth-audience)")
    parser.add_argument("--subject", default="trial-user@example.com")
    parser.add_argument("--minutes", type=int, default=60, help="token lifetime")
    parser.add_argument("--token", action="append", default=[], metavar="SCOPES", help="print a token with these scopes")
    args = parser.parse_args()

    issuer = f"http://127.0.0.1:{args.port}"
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    kid = uuid.uuid4().hex[:12]
    numbers = key.public_key().public_numbers()
    jwks = {"keys": [{"kty": "RSA", "use": "sig", "alg": "RS256", "kid": kid, "n": integer(numbers.n), "e": integer(numbers.e)}]}
    discovery = {"issuer": issuer, "jwks_uri": issuer + "/jwks"}

    def token(scopes: str) -> str:
        now = int(time.time())
        header = {"alg": "RS256", "typ": "at+jwt", "kid": kid}
        claims = {"iss": issuer, "aud": args.audience, "sub": args.subject, "scope": scopes,
                  "iat": now, "nbf": now, "exp": now + 60 * args.minutes, "jti": uuid.uuid4().hex}
        signing_input = b64url(json.dumps(header).encode()) + "." + b64url(json.dumps(claims).encode())
        signature = key.sign(signing_input.encode("ascii"), padding.PKCS1v15(), hashes.SHA256())
        return signing_input + "." + b64url(signature)

    print(f"issuer {issuer}", flush=True)
    for scopes in args.token:
        print(f"token [{scopes}] {token(scopes)}", flush=True)

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (the http.server API)
            body = {"/.well-known/openid-configuration": discovery, "/jwks": jwks}.get(self.path)
            if body is None:
                self.send_error(404)
                return
            data = json.dumps(body).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *values: object) -> None:  # noqa: A002
            pass

    ThreadingHTTPServer(("127.0.0.1", args.port), Handler).serve_forever()


if __name__ == "__main__":
    main()
