"""Microsoft's own Graph SDK (msgraph-sdk 1.65.0, azure-identity 1.27.0) against the Graph emulator.

usage: msgraph_client.py first|second GRAPH_URL AUTHORITY TENANT CLIENT_ID SECRET UPN SEEDED STATE_FILE

The SDK runs with its normal GraphRequestAdapter (default middleware) pointed at the emulator
(PROTOCOLS.md section 1.8). The token comes from azure-identity's ClientSecretCredential against the
emulator's authority: azure-identity insists on https, so a transport maps https://127.0.0.1 to
http. Phase "first" reads everything (paging, a contact delta round, a users delta round) and saves
the deltaLinks; the Swift test then changes the mailbox and the directory; phase "second" resumes
both rounds from the saved links (a new process, as a sync would) and writes through the SDK.
Every check prints OK/FAIL; the last line is the summary the Swift test looks for.
"""
import asyncio
import json
import sys

from azure.core.pipeline.transport import RequestsTransport
from azure.identity import ClientSecretCredential
from kiota_abstractions.authentication import AccessTokenProvider, AllowedHostsValidator, BaseBearerTokenAuthenticationProvider
from kiota_abstractions.base_request_configuration import RequestConfiguration
from msgraph import GraphRequestAdapter, GraphServiceClient
from msgraph.generated.models.contact import Contact
from msgraph.generated.models.email_address import EmailAddress
from msgraph.generated.models.o_data_errors.o_data_error import ODataError
from msgraph.generated.models.single_value_legacy_extended_property import SingleValueLegacyExtendedProperty
from msgraph.generated.users.item.contacts.contacts_request_builder import ContactsRequestBuilder
from msgraph.generated.users.item.contact_folders.item.contacts.delta.delta_request_builder import DeltaRequestBuilder
from msgraph_core.requests.batch_request_content import BatchRequestContent
from msgraph_core.requests.batch_request_item import BatchRequestItem

phase, graph_url, authority, tenant, client_id, secret, upn, seeded, state_file = sys.argv[1:10]
seeded = int(seeded)
MARKER = "String {66f5a359-4659-4830-9070-00047ec6ac6e} Name HubSyncItemId"
failures = []


def check(name, ok, detail=""):
    print(("OK   " if ok else "FAIL ") + name + ("" if ok else f": {detail}"))
    if not ok:
        failures.append(name)


class LoopbackHTTP(RequestsTransport):
    """azure-identity and MSAL refuse a non-https authority; the emulator speaks plain http on
    loopback. This transport plays TLS terminator: https://127.0.0.1 goes out as http, and the
    OpenID configuration comes back with https endpoints."""

    def send(self, request, **kwargs):
        if request.url.startswith("https://127.0.0.1"):
            request.url = "http://" + request.url[len("https://"):]
        response = super().send(request, **kwargs)
        if "openid-configuration" in request.url:
            body = response.internal_response.content.replace(b"http://127.0.0.1", b"https://127.0.0.1")
            response.internal_response._content = body
            if hasattr(response, "_content"):  # azure.core.rest responses keep their own copy
                response._content = body
        return response


def fetch_token():
    host = authority.split("://", 1)[1]
    credential = ClientSecretCredential(tenant, client_id, secret, authority="https://" + host,
                                        disable_instance_discovery=True, transport=LoopbackHTTP())
    return credential.get_token("https://graph.microsoft.com/.default").token


class Token(AccessTokenProvider):
    def __init__(self, token):
        self.token = token

    async def get_authorization_token(self, uri, additional_authentication_context={}):
        return self.token

    def get_allowed_hosts_validator(self):
        return AllowedHostsValidator([])


def config(query=None, headers=None):
    c = RequestConfiguration(query_parameters=query)
    for k, v in (headers or {}).items():
        c.headers.add(k, v)
    return c


async def delta_round(first_call, builder):
    """Follows nextLinks to the deltaLink: (items, deltaLink, pages)."""
    page = await first_call
    items, pages = list(page.value or []), 1
    while page.odata_next_link:
        page = await builder.with_url(page.odata_next_link).get(request_configuration=config(headers={"Prefer": "odata.maxpagesize=4"}))
        items += page.value or []
        pages += 1
    return items, page.odata_delta_link, pages


def removed(item):
    return (item.additional_data or {}).get("@removed")


async def main():
    token = fetch_token()
    check("token from azure-identity ClientSecretCredential", token.startswith("eyJ"), token[:10])
    adapter = GraphRequestAdapter(BaseBearerTokenAuthenticationProvider(Token(token)))
    adapter.base_url = graph_url
    client = GraphServiceClient(request_adapter=adapter)
    user = client.users.by_user_id(upn)
    prefer = {"Prefer": 'odata.maxpagesize=4, IdType="ImmutableId"'}

    if phase == "first":
        q = ContactsRequestBuilder.ContactsRequestBuilderGetQueryParameters(top=5, select=["givenName", "surname"])
        page = await user.contacts.get(request_configuration=config(q))
        contacts, pages = list(page.value), 1
        while page.odata_next_link:
            page = await user.contacts.with_url(page.odata_next_link).get()
            contacts += page.value
            pages += 1
        check("paging reads every contact", len(contacts) == seeded and pages == (seeded + 4) // 5, f"{len(contacts)} in {pages}")
        check("$select honoured", contacts[0].email_addresses is None and contacts[0].given_name is not None)
        folder = (await user.contacts.by_contact_id(contacts[0].id).get()).parent_folder_id
        dq = DeltaRequestBuilder.DeltaRequestBuilderGetQueryParameters(select=["givenName", "surname", "emailAddresses"])
        builder = user.contact_folders.by_contact_folder_id(folder).contacts.delta
        items, link, pages = await delta_round(builder.get(request_configuration=config(dq, prefer)), builder)
        check("contact delta first round", len(items) == seeded and pages == (seeded + 3) // 4 and link, f"{len(items)} {pages}")
        users, ulink, _ = await delta_round(client.users.delta.get(), client.users.delta)
        check("users delta first round", len(users) >= 4 and ulink, len(users))
        json.dump({"folder": folder, "delta": link, "users": ulink}, open(state_file, "w"))
    else:
        state = json.load(open(state_file))
        builder = user.contact_folders.by_contact_folder_id(state["folder"]).contacts.delta
        items, link, _ = await delta_round(builder.with_url(state["delta"]).get(request_configuration=config(headers=prefer)), builder)
        gone = [i for i in items if removed(i)]
        changed = [i for i in items if not removed(i)]
        check("delta resumed in a new process: one change, one @removed", len(changed) == 1 and len(gone) == 1,
              [(i.id, i.surname, removed(i)) for i in items])
        check("@removed reason", gone and removed(gone[0]).get("reason") == "deleted")
        check("changed item carries the new value", changed and changed[0].surname == "Changed-outside")

        # Create with a marker, update with If-Match, a stale etag is refused with 412.
        body = Contact(given_name="Sdk", surname="Made", email_addresses=[EmailAddress(address="sdk@example.org", name="Sdk")],
                       categories=["VIP"], single_value_extended_properties=[SingleValueLegacyExtendedProperty(id=MARKER, value="hub-42")])
        made = await user.contact_folders.by_contact_folder_id(state["folder"]).contacts.post(body)
        check("create", made.id and made.change_key and made.categories == ["VIP"])
        etag = f'W/"{made.change_key}"'
        patched = await user.contacts.by_contact_id(made.id).patch(Contact(job_title="Engineer"),
                                                                    request_configuration=config(headers={"If-Match": etag}))
        check("update with If-Match", patched.job_title == "Engineer" and patched.change_key != made.change_key)
        try:
            await user.contacts.by_contact_id(made.id).patch(Contact(job_title="Stale"), request_configuration=config(headers={"If-Match": etag}))
            check("stale etag refused", False, "no error")
        except ODataError as e:
            check("stale etag refused with 412 ErrorIrresolvableConflict",
                  e.response_status_code == 412 and e.error.code == "ErrorIrresolvableConflict", (e.response_status_code, e.error.code))
        try:
            await user.contacts.post(Contact(email_addresses=[EmailAddress(address=f"x{i}@example.org") for i in range(4)]))
            check("fourth e-mail refused", False, "no error")
        except ODataError as e:
            check("fourth e-mail refused", e.response_status_code == 400 and "max allowed value of 3" in e.error.message, e.error.message)
        q = ContactsRequestBuilder.ContactsRequestBuilderGetQueryParameters(
            filter=f"singleValueExtendedProperties/Any(ep: ep/id eq '{MARKER}' and ep/value eq 'hub-42')",
            expand=[f"singleValueExtendedProperties($filter=id eq '{MARKER}')"])
        found = (await user.contact_folders.by_contact_folder_id(state["folder"]).contacts.get(request_configuration=config(q))).value
        check("marker found by $filter and read by $expand", len(found) == 1 and found[0].id == made.id
              and found[0].single_value_extended_properties[0].value == "hub-42")

        # $batch through the SDK's BatchRequestContent. msgraph-core keeps absolute member URLs,
        # which Graph refuses (msgraph-sdk-python#1015, msgraph-sdk-python-core#1116): strip them, as users do.
        content = BatchRequestContent({})
        posts = []
        for i in range(2):
            info = user.contacts.to_post_request_information(Contact(given_name=f"Batch{i}", surname="Member"))
            item = BatchRequestItem(request_information=info, id=f"c{i}", depends_on=[])
            item.url = item.url.replace(graph_url, "")
            content.add_request(item.id, item)
            posts.append(item)
        info = user.contacts.by_contact_id(made.id).to_delete_request_information()
        item = BatchRequestItem(request_information=info, id="del", depends_on=["c0", "c1"])
        item.url = item.url.replace(graph_url, "")
        content.add_request(item.id, item)
        result = await client.batch.post(batch_request_content=content)
        statuses = {k: v.status for k, v in result.responses.items()}
        check("$batch members answered one by one", statuses == {"c0": 201, "c1": 201, "del": 204}, statuses)

        # Delete a seeded contact with If-Match; the next delta round shows what this phase did.
        victim = (await user.contacts.get()).value[0]
        await user.contacts.by_contact_id(victim.id).delete(request_configuration=config(headers={"If-Match": f'W/"{victim.change_key}"'}))
        items, _, _ = await delta_round(builder.with_url(link).get(request_configuration=config(headers=prefer)), builder)
        names = sorted(i.given_name for i in items if not removed(i))
        check("delta after SDK writes", names == ["Batch0", "Batch1"] and len([i for i in items if removed(i)]) == 2,
              [(i.given_name, removed(i)) for i in items])

        users, _, _ = await delta_round(client.users.delta.with_url(state["users"]).get(), client.users.delta)
        check("users delta: one change and one @removed",
              len([u for u in users if removed(u)]) == 1 and len([u for u in users if not removed(u)]) == 1,
              [(u.id, u.job_title, removed(u)) for u in users])
        check("users delta carries the change", any(u.job_title == "Director" for u in users if not removed(u)))

    print("SUMMARY: msgraph " + phase + (" all checks passed" if not failures else " FAILED: " + ", ".join(failures)))


asyncio.run(main())
