"""Webhook URLs reach public addresses only: every form of a private or loopback address is
refused, when registered and again after DNS resolution when sent to."""

import ipaddress

import pytest

from designer.webhooks.addresses import RefusedAddress, check_address, check_url, literal_address, resolve
from designer.webhooks.transport import post

REFUSED_URLS = [
    "http://127.0.0.1/",
    "http://127.1/",
    "http://2130706433/",  # 127.0.0.1 as one decimal number
    "http://0x7f.1/",  # hexadecimal and a short form
    "http://017700000001/",  # octal
    "http://0x7f000001/",
    "http://localhost:8080/",
    "http://app.localhost/",
    "http://[::1]/",
    "http://[::ffff:127.0.0.1]/",  # IPv4-mapped IPv6
    "http://[::ffff:8.8.8.8]/",  # mapped, even to a public address
    "http://[::ffff:7f00:1]/",
    "http://10.0.0.1/",
    "http://172.16.5.4/",
    "http://192.168.1.1/",
    "http://169.254.169.254/latest/meta-data/",  # link-local (cloud metadata)
    "http://100.64.0.1/",  # shared address space (CGNAT)
    "http://100.127.255.254/",
    "http://0.0.0.0/",
    "http://0/",
    "http://224.0.0.1/",  # multicast
    "http://240.0.0.1/",  # reserved
    "http://255.255.255.255/",
    "http://[fe80::1]/",  # IPv6 link-local
    "http://[fc00::1]/",  # IPv6 unique local
    "http://[::]/",
    "http://[2002:7f00:1::]/",  # 6to4 around 127.0.0.1
    "http://[64:ff9b::a00:1]/",  # NAT64 around 10.0.0.1
    "ftp://example.com/",
    "file:///etc/passwd",
    "gopher://example.com/",
    "http:///nohost",
    "http://user:pass@example.com/",
    "http://example.com:0/",
    "http://999.1.1.1.1/",
]


@pytest.mark.parametrize("url", REFUSED_URLS)
def test_a_url_to_a_private_or_odd_address_is_refused(url):
    with pytest.raises(RefusedAddress):
        check_url(url, allow_loopback=False)


@pytest.mark.parametrize(
    "url", ["https://hooks.example.com/presswork", "http://8.8.8.8:8080/x?y=1", "https://[2606:4700::1111]/"]
)
def test_a_url_to_a_public_address_is_accepted(url):
    assert check_url(url, allow_loopback=False).hostname


@pytest.mark.parametrize("host", ["2130706433", "0x7f.1", "017700000001", "127.1", "0x7f000001", "127.0.0.1"])
def test_every_numeric_form_of_loopback_reads_as_127_0_0_1(host):
    assert literal_address(host) == ipaddress.IPv4Address("127.0.0.1")


def test_loopback_is_allowed_when_configured_and_nothing_else_private():
    for url in ["http://127.0.0.1:5000/", "http://2130706433/", "http://localhost/", "http://[::1]/"]:
        check_url(url, allow_loopback=True)
    for url in [
        "http://10.0.0.1/",
        "http://[::ffff:127.0.0.1]/",
        "http://169.254.169.254/",
        "http://100.64.0.1/",
    ]:
        with pytest.raises(RefusedAddress):
            check_url(url, allow_loopback=True)


def test_a_name_is_checked_after_it_is_resolved():
    # "localhost" resolves to loopback: refused after resolution, not by its spelling alone.
    with pytest.raises(RefusedAddress):
        resolve("localhost", 80, allow_loopback=False)
    assert all(address.is_loopback for address in resolve("localhost", 80, allow_loopback=True))


def test_check_address_refuses_shared_and_mapped_addresses():
    for text in ["100.64.0.0", "100.100.100.100", "::ffff:10.0.0.1", "::127.0.0.1"]:
        with pytest.raises(RefusedAddress):
            check_address(ipaddress.ip_address(text), allow_loopback=True)
    check_address(ipaddress.ip_address("1.1.1.1"), allow_loopback=False)


@pytest.mark.parametrize(
    "url", ["http://2130706433:9/", "http://0x7f.1:9/", "http://017700000001:9/", "http://[::1]:9/"]
)
def test_sending_to_a_refused_address_never_connects(url):
    outcome = post(url, b"{}", {}, connect_timeout_s=1, total_timeout_s=1, allow_loopback=False)
    assert outcome.status_code is None
    assert outcome.error.startswith("Refused:")


# Hosts a resolver reads as a refused address once normalized: full-width digits, the ideographic
# and full-width dots, circled digits, full-width letters.
UNICODE_HOST_URLS = [
    "http://１２７.0.0.1/",
    "http://127。0。0。1/",
    "http://127．0．0．1:8080/hook",
    "http://127｡0｡0｡1/",
    "http://①②⑦.0.0.1/",
    "http://１０.0.0.1/",
    "http://１６９。２５４。１６９。２５４/latest/meta-data/",
    "http://ｌｏｃａｌｈｏｓｔ/",
]


@pytest.mark.parametrize("url", UNICODE_HOST_URLS)
def test_a_host_written_in_full_width_digits_or_ideographic_dots_is_read_as_its_address(url):
    with pytest.raises(RefusedAddress, match="loopback|not a public address"):
        check_url(url, allow_loopback=False)


@pytest.mark.parametrize(
    "url", ["http://%31%32%37.0.0.1/", "http://a..b/", "http://exa mple.com/", "http://-a.com/"]
)
def test_a_host_that_is_not_a_host_name_is_refused(url):
    with pytest.raises(RefusedAddress, match="not a valid host name"):
        check_url(url, allow_loopback=False)


def test_an_international_name_is_sent_to_in_its_ascii_form():
    parts = check_url("https://Bücher.example:8443/hook?x=1", allow_loopback=False)
    assert parts.geturl() == "https://xn--bcher-kva.example:8443/hook?x=1"
    assert check_url("http://１２７。0.0.1:5000/", allow_loopback=True).hostname == "127.0.0.1"


def test_sending_to_a_full_width_loopback_host_never_connects():
    outcome = post(
        "http://１２７.0.0.1:9/", b"{}", {}, connect_timeout_s=1, total_timeout_s=1, allow_loopback=False
    )
    assert outcome.error == "Refused: The address 127.0.0.1 is a loopback address"
