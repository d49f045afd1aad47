"""The official MCP Python SDK (2.3.0) against the gateway, in one protocol mode.

Usage: python sdk_client.py <mcp url> <api key> <mode: auto | legacy | 2026-07-28>

Lists the tools, gets the invoice_processor prompt, reads the organizations and mailboxes resources, reads the active
organization, switches it, reads it again and switches back, creates a contact twice with the same idempotency key
(one contact) and reads it as a resource, imports contacts through run_operation as a job while counting its progress
notifications, and lists the inbox threads without a mailbox, answering the gateway's question which one with
support@acme.test. Prints one line per step; exits non-zero, saying why, at the first step that fails.
"""

import asyncio
import json
import sys
import uuid

import httpx2
from mcp import Client
from mcp.client.streamable_http import streamable_http_client
from mcp.types import ElicitResult

MAILBOX = "support@acme.test"


def text(result):
    return " ".join(getattr(content, "text", str(content)) for content in result.content)


def structured(result):
    if result.is_error:
        raise SystemExit(f"tool error: {text(result)}")
    return result.structured_content


async def read(client, uri):
    contents = (await client.read_resource(uri)).contents
    if len(contents) != 1 or not getattr(contents[0], "text", None):
        raise SystemExit(f"resource {uri}: not one text content: {contents}")
    return contents[0].text


async def main(url: str, key: str, mode: str) -> None:
    questions = []

    async def elicit(context, params):
        questions.append(params.message)
        if "accountId" not in params.requested_schema.get("properties", {}):
            return ElicitResult(action="decline")
        return ElicitResult(action="accept", content={"accountId": MAILBOX})

    headers = {"Authorization": f"Bearer {key}"}
    async with httpx2.AsyncClient(headers=headers, timeout=60) as http:
        transport = streamable_http_client(url, http_client=http)
        async with Client(transport, mode=mode, elicitation_callback=elicit) as client:
            print(f"protocol {client.protocol_version if hasattr(client, 'protocol_version') else '?'}")
            tools = await client.list_tools()
            names = [tool.name for tool in tools.tools]
            print(f"tools {len(names)}")
            prompt = await client.get_prompt("invoice_processor")
            if "inbox_threads_search" not in str(prompt.messages):
                raise SystemExit(f"prompt invoice_processor does not name inbox_threads_search: {prompt.messages}")
            print(f"prompt invoice_processor {len(prompt.messages)} messages")
            for uri in ("workspace://organizations", "workspace://mailboxes"):
                body = await read(client, uri)
                if "org_acme" not in body:
                    raise SystemExit(f"resource {uri} does not name org_acme: {body}")
                print(f"resource {uri} {len(body.encode())} bytes")
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
            contact = json.loads(await read(client, f"workspace://contacts/{first['result']['id']}"))["result"]
            if contact["email"] != email:
                raise SystemExit(f"contact resource {contact['id']} has {contact['email']}, not {email}")
            print(f"contact resource {contact['id']}")
            operations = structured(await client.call_tool("list_operations", {"group": "contacts", "query": "import"}))
            if not any(op["name"] == "contacts_import" and op["job"] for op in operations["result"]["items"]):
                raise SystemExit(f"contacts_import is not listed as a job: {operations}")
            progress = []

            async def on_progress(value, total, message):
                progress.append(message)

            rows = [{"email": f"python-{mode}-{key[:8]}-import-{n}@example.com"} for n in (1, 2)]
            job = structured(await client.call_tool("run_operation", {"operation": "contacts_import",
                    "arguments": {"rows": rows}}, progress_callback=on_progress))["result"]
            if not progress or job["status"] != "succeeded":
                raise SystemExit(f"contacts_import: {len(progress)} progress notifications, job {job}")
            print(f"progress {len(progress)} notifications, result {job['status']} created {job['result']['created']}")

            # org_acme has two mailboxes: without accountId the gateway asks which one, and the call goes on
            threads = await client.call_tool("inbox_threads_list", {})
            if not questions:
                raise SystemExit(f"inbox_threads_list: the gateway did not ask which mailbox; it answered: {text(threads)}")
            chosen = structured(threads)["mailbox"]["id"]
            if chosen != MAILBOX or MAILBOX not in json.dumps(threads.structured_content):
                raise SystemExit(f"inbox_threads_list used {chosen}, not {MAILBOX}")
            print(f"mailbox choice {chosen}")


if __name__ == "__main__":
    try:
        asyncio.run(main(sys.argv[1], sys.argv[2], sys.argv[3]))
    except BaseException as error:
        # the SDK's task groups wrap a failed step's SystemExit in exception groups: exit with its reason alone
        while getattr(error, "exceptions", None):
            error = error.exceptions[0]
        raise error from None
