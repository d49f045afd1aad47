"""The official MCP Python SDK (2.3.0) against the gateway, in one protocol mode.

Usage: python sdk_client.py <mcp url> <api key> <mode: auto | legacy | 2026-07-28>

Lists the tools, reads the active organization, switches it, reads it again, creates a contact twice with the same
idempotency key (one contact), and prints one line per step; exits non-zero, saying why, at the first step that
fails.
"""

import asyncio
import sys
import uuid

import httpx2
from mcp import Client
from mcp.client.streamable_http import streamable_http_client


def structured(result):
    if result.is_error:
        raise SystemExit(f"tool error: {result.content}")
    return result.structured_content


async def main(url: str, key: str, mode: str) -> None:
    headers = {"Authorization": f"Bearer {key}"}
    async with httpx2.AsyncClient(headers=headers, timeout=60) as http:
        transport = streamable_http_client(url, http_client=http)
        async with Client(transport, mode=mode) as client:
            print(f"protocol {client.protocol_version if hasattr(client, 'protocol_version') else '?'}")
            tools = await client.list_tools()
            names = [tool.name for tool in tools.tools]
            print(f"tools {len(names)}")
            current = structured(await client.call_tool("organizations_current", {}))
            print(f"organization {current['organization']['id']}")
            switched = structured(await client.call_tool("organizations_switch", {"organizationId": "org_globex"}))
            print(f"switched {switched['organization']['id']}")
            again = structured(await client.call_tool("organizations_current", {}))
            print(f"organization {again['organization']['id']}")
            structured(await client.call_tool("organizations_switch", {"organizationId": "org_acme"}))
            key = str(uuid.uuid4())
            email = f"python-{mode}-{key[:8]}@example.com"
            first = structured(await client.call_tool("contacts_create", {"idempotencyKey": key, "email": email}))
            second = structured(await client.call_tool("contacts_create", {"idempotencyKey": key, "email": email}))
            print(f"created {first['organization']['id']} {first['result']['id']} {second['result']['id']}")


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2], sys.argv[3]))
