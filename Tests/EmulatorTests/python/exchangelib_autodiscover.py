"""exchangelib's autodiscover against the HubSync EWS emulator (pin: exchangelib==5.6.0).

usage: exchangelib_autodiscover.py AUTODISCOVER_SVC_URL USER PASSWORD EMAIL EXPECTED_EWS_URL

exchangelib only probes https://<domain>/autodiscover/autodiscover.svc and DNS SRV records, which cannot
point at http://127.0.0.1:PORT. Its documented autodiscover cache can: the script seeds the cache entry for
the e-mail domain with the emulator's SOAP autodiscover endpoint, then lets Account(autodiscover=True)
run (GetUserSettings, then EWS with the URL and version it found). Set TMPDIR to a fresh directory: the
cache is a file there.
"""
import sys

from exchangelib import DELEGATE, Account, Configuration, Credentials
from exchangelib.autodiscover import AutodiscoverProtocol, autodiscover_cache
from exchangelib.util import get_domain


def main():
    ad_url, user, password, email, expected_ews = sys.argv[1:6]
    credentials = Credentials(user, password)
    protocol = AutodiscoverProtocol(config=Configuration(service_endpoint=ad_url, credentials=credentials))
    autodiscover_cache[(get_domain(email), credentials)] = protocol
    account = Account(primary_smtp_address=email, credentials=credentials, autodiscover=True, access_type=DELEGATE)
    ews_url = account.protocol.service_endpoint
    assert ews_url == expected_ews, f"EWS URL {ews_url!r} != {expected_ews!r}"
    print(f"ok: autodiscover found EWS URL {ews_url}", flush=True)
    print(f"ok: autodiscover version {account.version.api_version} (auth {account.protocol.auth_type})", flush=True)
    print(f"ok: contacts folder via autodiscovered endpoint holds {account.contacts.total_count} items", flush=True)
    autodiscover_cache.clear()
    print("SUMMARY: exchangelib autodiscover passed", flush=True)


if __name__ == "__main__":
    try:
        main()
    except Exception as e:
        import traceback
        traceback.print_exc()
        print(f"FAILED: {e!r}", file=sys.stderr)
        sys.exit(1)
