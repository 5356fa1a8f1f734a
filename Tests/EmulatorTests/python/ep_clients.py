"""Outside clients against the EWS emulator over https with Extended Protection on.

usage: ep_clients.py SERVICE_URL USER PASSWORD EMAIL CA_FILE
  pyspnego signs in with the channel binding of the certificate it is shown (tls-server-end-point),
  then without one and with another one (both refused); exchangelib (NTLM through requests-ntlm,
  which sends the binding) reads the contacts folder; requests-ntlm told not to send the binding
  is refused. Prints one "ok: ..." line per check; exits non-zero on the first failure.
Pins: pyspnego==0.12.4, requests-ntlm==1.3.0, exchangelib==5.6.0, cryptography==50.0.2.
"""
import base64
import os
import ssl
import sys
import urllib.parse

import requests
import spnego
from spnego.channel_bindings import GssChannelBindings
from requests_ntlm import HttpNtlmAuth
from requests_ntlm.requests_ntlm import _get_certificate_hash

GET_FOLDER = """<?xml version="1.0" encoding="utf-8"?>
<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"
 xmlns:m="http://schemas.microsoft.com/exchange/services/2006/messages"
 xmlns:t="http://schemas.microsoft.com/exchange/services/2006/types">
<s:Header><t:RequestServerVersion Version="Exchange2016"/></s:Header>
<s:Body><m:GetFolder><m:FolderShape><t:BaseShape>IdOnly</t:BaseShape></m:FolderShape>
<m:FolderIds><t:DistinguishedFolderId Id="contacts"/></m:FolderIds></m:GetFolder></s:Body></s:Envelope>"""


def check(cond, what):
    if not cond:
        raise AssertionError(what)
    print(f"ok: {what}", flush=True)


def sign_in(url, user, password, ca, bindings, tamper_mic=False):
    """NEGOTIATE, CHALLENGE, AUTHENTICATE by hand on one kept-alive connection (a requests
    Session); the status of the AUTHENTICATE's answer."""
    host = urllib.parse.urlparse(url).hostname
    context = spnego.client(user, password, hostname=host, service="HTTP", protocol="ntlm", channel_bindings=bindings)
    headers = {"Content-Type": "text/xml; charset=utf-8"}
    with requests.Session() as session:
        token = context.step()
        first = session.post(url, data=GET_FOLDER, verify=ca,
                             headers={**headers, "Authorization": "NTLM " + base64.b64encode(token).decode()})
        challenge = first.headers.get("WWW-Authenticate", "")
        if first.status_code != 401 or not challenge.startswith("NTLM "):
            raise AssertionError(f"no NTLM challenge: {first.status_code} {challenge!r}")
        token = context.step(base64.b64decode(challenge[5:]))
        if tamper_mic:  # the MIC (bytes 72-87) is not under the NTProofStr: only the MIC check sees this
            token = token[:80] + bytes([token[80] ^ 1]) + token[81:]
        answer = session.post(url, data=GET_FOLDER, verify=ca,
                              headers={**headers, "Authorization": "NTLM " + base64.b64encode(token).decode()})
        return answer.status_code, answer.text


def main():
    url, user, password, email, ca = sys.argv[1:6]
    parts = urllib.parse.urlparse(url)
    der = ssl.PEM_cert_to_DER_cert(ssl.get_server_certificate((parts.hostname, parts.port)))
    cert_hash = _get_certificate_hash(der)
    bound = GssChannelBindings(application_data=b"tls-server-end-point:" + cert_hash)

    status, body = sign_in(url, user, password, ca, bound)
    check(status == 200 and "NoError" in body, "pyspnego with the channel binding signs in and gets the contacts folder")
    status, _ = sign_in(url, user, password, ca, None)
    check(status == 401, "pyspnego without a channel binding is refused (401)")
    other = GssChannelBindings(application_data=b"tls-server-end-point:" + bytes(32))
    status, _ = sign_in(url, user, password, ca, other)
    check(status == 401, "pyspnego with another certificate's binding is refused (401)")
    status, _ = sign_in(url, user, password, ca, bound, tamper_mic=True)
    check(status == 401, "pyspnego with the binding and a MIC that does not match is refused (401)")
    status, _ = sign_in(url, user, "wrong", ca, bound)
    check(status == 401, "pyspnego with the binding and a wrong password is refused (401)")

    plain = requests.post(url, data=GET_FOLDER, verify=ca, headers={"Content-Type": "text/xml; charset=utf-8"},
                          auth=HttpNtlmAuth(user, password, send_cbt=False))
    check(plain.status_code == 401, "requests-ntlm told not to send the binding is refused (401)")
    sent = requests.post(url, data=GET_FOLDER, verify=ca, headers={"Content-Type": "text/xml; charset=utf-8"},
                         auth=HttpNtlmAuth(user, password))
    check(sent.status_code == 200, "requests-ntlm with its binding (the default) signs in")

    # exchangelib sends the binding through requests-ntlm; it trusts the test CA through requests.
    os.environ["REQUESTS_CA_BUNDLE"] = ca
    from exchangelib import DELEGATE, NTLM, Account, Build, Configuration, Credentials, Version
    config = Configuration(service_endpoint=url, credentials=Credentials(user, password), auth_type=NTLM,
                           version=Version(build=Build(15, 1, 2507, 0)))
    account = Account(primary_smtp_address=email, config=config, autodiscover=False, access_type=DELEGATE)
    names = sorted(c.display_name for c in account.contacts.all())
    check(account.contacts.name == "Contacts", f"exchangelib (NTLM over https) reads the contacts folder: {names}")
    print("SUMMARY: extended protection clients passed", flush=True)


if __name__ == "__main__":
    main()
